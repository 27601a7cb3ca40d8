"""Indico's documented Python client, as its HTTP API docs print it.

Usage: indico_client.py PATH KEY SECRET TIMESTAMP|- NAME=VALUE...
Prints the signed path and query. TIMESTAMP '-' makes a persistent link.
"""
import hashlib
import hmac
import sys
from urllib.parse import urlencode


def build_indico_request(path, params, api_key, secret_key, timestamp):
    items = list(params)
    items.append(('apikey', api_key))
    if timestamp is not None:
        items.append(('timestamp', timestamp))
    items = sorted(items, key=lambda x: x[0].lower())
    url = '%s?%s' % (path, urlencode(items))
    signature = hmac.new(secret_key.encode('utf-8'), url.encode('utf-8'), hashlib.sha1).hexdigest()
    items.append(('signature', signature))
    return '%s?%s' % (path, urlencode(items))


path, key, secret, ts = sys.argv[1:5]
params = [tuple(a.split('=', 1)) for a in sys.argv[5:]]
print(build_indico_request(path, params, key, secret, None if ts == '-' else ts))
