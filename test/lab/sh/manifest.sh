# The lab's keys, known_hosts and manifest (lab.json), for tests and for people trying the tool by hand.

make_keys() {
  install -d -m 0700 "$KEYS_DIR" "$SECRETS_DIR"
  [ -f "$KEYS_DIR/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C foureyes-lab -f "$KEYS_DIR/id_ed25519"
  if [ ! -f "$KEYS_DIR/id_ed25519_pass" ]; then
    head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$KEYS_DIR/id_ed25519_pass.passphrase"
    chmod 0600 "$KEYS_DIR/id_ed25519_pass.passphrase"
    cp "$KEYS_DIR/id_ed25519" "$KEYS_DIR/id_ed25519_pass"
    cp "$KEYS_DIR/id_ed25519.pub" "$KEYS_DIR/id_ed25519_pass.pub"
    ssh-keygen -q -p -P '' -N "$(cat "$KEYS_DIR/id_ed25519_pass.passphrase")" -f "$KEYS_DIR/id_ed25519_pass"
  fi
}

json_str() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }

# host_meta NAME: sudo mode, requiretty, root login, jump host (fixed by the host's configuration).
host_sudo() {
  case "$1" in
    partial) echo password ;;
    restricted) echo restricted ;;
    restrictpw) echo restricted-password ;;
    *) echo nopasswd ;;
  esac
}

write_manifest() {
  local h first=1 addr kt ks fp sep pw
  : >"$KNOWN_HOSTS.tmp"
  {
    printf '{\n  "version": 1,\n'
    printf '  "stateDir": %s,\n' "$(json_str "$STATE_DIR")"
    printf '  "knownHosts": %s,\n' "$(json_str "$KNOWN_HOSTS")"
    printf '  "keys": { "private": %s, "public": %s, "passphraseProtected": %s, "passphraseFile": %s },\n' \
      "$(json_str "$KEYS_DIR/id_ed25519")" "$(json_str "$KEYS_DIR/id_ed25519.pub")" \
      "$(json_str "$KEYS_DIR/id_ed25519_pass")" "$(json_str "$KEYS_DIR/id_ed25519_pass.passphrase")"
    printf '  "network": { "bridge": "%s", "gateway": "%s" },\n' "$BRIDGE" "$BRIDGE_ADDR"
    printf '  "hosts": [\n'
    for h in $LAB_HOSTS; do
      addr=$(host_addr "$h")
      [ $first = 1 ] || printf ',\n'
      first=0
      pw=null
      [ -f "$SECRETS_DIR/$h.sudo" ] && pw=$(json_str "$SECRETS_DIR/$h.sudo")
      printf '    {\n      "name": "%s",\n      "address": "%s",\n      "port": 22,\n      "user": "auditor",\n' "$h" "$addr"
      printf '      "keyPath": %s,\n      "passphraseKeyPath": %s,\n      "passphraseFile": %s,\n' \
        "$(json_str "$KEYS_DIR/id_ed25519")" "$(json_str "$KEYS_DIR/id_ed25519_pass")" \
        "$(json_str "$KEYS_DIR/id_ed25519_pass.passphrase")"
      printf '      "sudo": "%s",\n      "sudoPasswordFile": %s,\n' "$(host_sudo "$h")" "$pw"
      printf '      "requiretty": %s,\n' "$([ "$h" = hardened ] && echo true || echo false)"
      printf '      "rootLogin": %s,\n' "$(case "$h" in careless | remedy) echo true ;; *) echo false ;; esac)"
      printf '      "jumpHost": %s,\n' "$([ "$h" = inner ] && echo '"bastion"' || echo null)"
      printf '      "netns": "fe-%s",\n      "root": %s,\n      "hostKeys": [' "$h" "$(json_str "$HOSTS_DIR/$h/root")"
      sep=''
      for pub in "$HOSTS_DIR/$h/root"/etc/ssh/ssh_host_*_key.pub; do
        read -r kt ks _ <"$pub"
        fp=$(ssh-keygen -l -E sha256 -f "$pub" | awk '{print $2}')
        printf '%s\n        { "type": "%s", "fingerprint": "%s", "publicKey": "%s %s" }' "$sep" "$kt" "$fp" "$kt" "$ks"
        sep=','
        printf '%s %s %s\n' "$addr" "$kt" "$ks" >>"$KNOWN_HOSTS.tmp"
      done
      printf '\n      ]\n    }'
    done
    printf '\n  ]\n}\n'
  } >"$MANIFEST.tmp"
  mv "$KNOWN_HOSTS.tmp" "$KNOWN_HOSTS"
  mv "$MANIFEST.tmp" "$MANIFEST"
}
