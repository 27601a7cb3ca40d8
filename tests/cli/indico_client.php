<?php
// Indico's documented PHP client, as its HTTP API docs print it.
// Usage: php indico_client.php PATH KEY SECRET TIMESTAMP|- NAME=VALUE...
function build_indico_request($path, $params, $api_key, $secret_key, $timestamp) {
    $params['apikey'] = $api_key;
    if ($timestamp !== null) {
        $params['timestamp'] = $timestamp;
    }
    uksort($params, 'strcasecmp');
    $url = $path . '?' . http_build_query($params);
    $params['signature'] = hash_hmac('sha1', $url, $secret_key);
    return $path . '?' . http_build_query($params);
}
list(, $path, $key, $secret, $ts) = $argv;
$params = array();
foreach (array_slice($argv, 5) as $arg) {
    list($name, $value) = explode('=', $arg, 2);
    $params[$name] = $value;
}
echo build_indico_request($path, $params, $key, $secret, $ts === '-' ? null : $ts), "\n";
