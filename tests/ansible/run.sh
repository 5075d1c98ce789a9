#!/usr/bin/env bash
# Runs tests/ansible/playbook.yml with ansible-alicloud + footmark against a fresh emulator, the way
# a user points them at it: no endpoint option, HTTP_PROXY=http://127.0.0.1:PORT (the old core SDK
# sends plain-HTTP absolute-form requests through the proxy). Expects the suite's venv (.venv) with
# tests/ansible/requirements.txt installed and target/debug/alicloud-emulator built.
set -euo pipefail
cd "$(dirname "$0")/../.."

venv=.venv
site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
port=$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

target/debug/alicloud-emulator serve --ephemeral --listen "127.0.0.1:$port" --log warn &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if curl -fs "http://127.0.0.1:$port/_emulator/" >/dev/null 2>&1; then break; fi
  sleep 0.1
done

export ANSIBLE_LIBRARY="$site/ansible/modules/cloud/alicloud"
export ANSIBLE_PYTHON_INTERPRETER="$PWD/$venv/bin/python"
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false ANSIBLE_NOCOLOR=1
export ALICLOUD_ACCESS_KEY=testid ALICLOUD_SECRET_KEY=testsecret ALICLOUD_REGION=cn-hangzhou
export HTTP_PROXY="http://127.0.0.1:$port" http_proxy="http://127.0.0.1:$port"
export NO_PROXY="" no_proxy=""
"$venv/bin/ansible-playbook" tests/ansible/playbook.yml
