#!/usr/bin/env bash
# Make sure a Redis answers on REDIS_URL's default (127.0.0.1:6379); start the machine's redis-server if not.
set -euo pipefail
if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then exit 0; fi
if ! command -v redis-server >/dev/null 2>&1; then
  echo "Redis is not running on 127.0.0.1:6379 and redis-server is not installed: apt-get install redis-server" >&2
  exit 1
fi
mkdir -p /tmp/influency-redis
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no --dir /tmp/influency-redis \
  --logfile /tmp/influency-redis/redis.log
for _ in $(seq 1 50); do
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && exit 0
  sleep 0.1
done
echo "redis-server did not answer on 127.0.0.1:6379; see /tmp/influency-redis/redis.log" >&2
exit 1
