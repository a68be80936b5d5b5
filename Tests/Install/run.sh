#!/bin/sh
# make install into a temporary prefix, then what a user does: --version, man, bash completion, the sandbox
# finding its demo mailbox; then make uninstall leaves no file behind.
set -eu
prefix=$(mktemp -d)
home=$(mktemp -d)
sandbox_pid=""
cleanup() { [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null; rm -rf "$prefix" "$home"; }
trap cleanup EXIT
passed=0; failed=0; skipped=0
check() { # name, command...
  name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok: $name"; else failed=$((failed + 1)); echo "FAILED: $name"; fi
}

make --no-print-directory install PREFIX="$prefix" INSTALL_CONFIG="${INSTALL_CONFIG:-release}" >"$prefix.log" 2>&1 || { cat "$prefix.log"; rm -f "$prefix.log"; exit 1; }
rm -f "$prefix.log"

version=$(sed -n 's/.*static let current = "\(.*\)".*/\1/p' Sources/ProductVersion/ProductVersion.swift)
check "gmail-tui --version prints $version" test "$("$prefix/bin/gmail-tui" --version)" = "$version"
check "gmail-sandbox --version prints $version" test "$("$prefix/bin/gmail-sandbox" --version)" = "$version"

if command -v man >/dev/null 2>&1; then
  page=$(MANWIDTH=80 man -l "$prefix/share/man/man1/gmail-tui.1" 2>&1)
  check "man -l renders gmail-tui.1 with its commands" sh -c 'printf "%s" "$1" | grep -q "gmail-tui list" && printf "%s" "$1" | grep -q -- "--client-secrets"' _ "$page"
  page=$(MANWIDTH=80 man -l "$prefix/share/man/man1/gmail-sandbox.1" 2>&1)
  check "man -l renders gmail-sandbox.1 with its control API" sh -c 'printf "%s" "$1" | grep -q "_sandbox"' _ "$page"
else
  skipped=$((skipped + 1)); echo "skipped: man pages not rendered: man is not installed (apt-get install man-db)"
fi

check "the bash completion loads and completes commands" bash -c '
  . "$1/share/bash-completion/completions/gmail-tui" && complete -p gmail-tui >/dev/null &&
  COMP_WORDS=(gmail-tui li); COMP_CWORD=1; COMP_LINE="gmail-tui li"; COMP_POINT=${#COMP_LINE}
  "$(complete -p gmail-tui | sed "s/.*-F \([^ ]*\).*/\1/")" gmail-tui li gmail-tui
  printf "%s\n" "${COMPREPLY[@]}" | grep -qx list' _ "$prefix"
check "the zsh and fish completions are there" test -s "$prefix/share/zsh/site-functions/_gmail-tui" -a -s "$prefix/share/fish/vendor_completions.d/gmail-tui.fish"

# The installed sandbox finds its demo mailbox through the bin/ link (the copy beside it: in a checkout
# the build folder's copy would answer too, so its presence is checked first).
check "the set-up and troubleshooting guides are installed" test -s "$prefix/share/doc/gmail-tui/troubleshooting.md" -a -s "$prefix/share/doc/gmail-tui/google-setup.md"
check "the demo mailbox is installed beside the executables" test -d "$prefix/libexec/gmail-tui/gmail-tui_GmailSandbox.resources"
out="$prefix/sandbox.out"
"$prefix/bin/gmail-sandbox" --port 0 --client-secrets-out "$home/client-secrets.json" >"$out" 2>&1 &
sandbox_pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q "messages loaded" "$out"; do sleep 0.2; i=$((i + 1)); done
check "the installed gmail-sandbox loads its demo mailbox" grep -q "messages loaded" "$out"
check "its try: line names a temporary credential file" grep -q -- "--credentials /tmp/" "$out"
# What its try: lines say, done as a user would: auth with those options, the URL opened (curl follows the
# sandbox's approval back to the listener), then list with the same options.
flags=$(sed -n 's/^try: gmail-tui auth //p' "$out")
user_env="HOME=$home XDG_CONFIG_HOME=$home/config XDG_CACHE_HOME=$home/cache XDG_STATE_HOME=$home/state XDG_DATA_HOME=$home/data"
env $user_env "$prefix/bin/gmail-tui" auth $flags </dev/null >"$home/auth.out" 2>&1 &
auth_pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q "auth?" "$home/auth.out"; do sleep 0.2; i=$((i + 1)); done
curl -sL "$(grep -o 'http://127.0.0.1[^ ]*auth?[^ ]*' "$home/auth.out" | head -1)" >/dev/null 2>&1 || true
wait "$auth_pid" 2>/dev/null || true
check "its try: lines authorize against it" grep -q "^Authorized " "$home/auth.out"
check "then list with the same options prints its mail" sh -c 'env $1 "$2/bin/gmail-tui" list $3 --max 2 | grep -q "20[0-9][0-9]-"' _ "$user_env" "$prefix" "$flags"
kill "$sandbox_pid" 2>/dev/null; wait "$sandbox_pid" 2>/dev/null || true; sandbox_pid=""
rm -f "$out"

make --no-print-directory uninstall PREFIX="$prefix" >/dev/null
check "make uninstall leaves no file" test -z "$(find "$prefix" -type f -o -type l)"

echo "install-test: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
