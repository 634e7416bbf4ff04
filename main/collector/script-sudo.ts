/**
 * The collector's reads through restricted sudo (rules that list some read-only commands, not a shell). Active only
 * when the generator allows sudo (SR=1), the script does not run as root, and `sudo -n -l` lists rules without a
 * prompt (SU=1); then every read the login user is denied is tried again through sudo:
 * - a file that exists but cannot be read: `sudo -n cat FILE` (else `sudo -n head -c N FILE`), read twice: once
 *   into `_sniff` (private key material is not sent), then into `_body` (the fact's secret values redacted, as on
 *   the plain path); never a file whose content the fact does not keep (host keys, shadow, secret files: stat only);
 * - a file under a directory that cannot be searched: `sudo -n stat --printf FORMAT FILE` first;
 * - a fileset pattern whose directory cannot be listed: `sudo -n find DIR -mindepth 1 -maxdepth 1 -name GLOB`;
 * - a root-only command fact: the first of its candidate command lines (registry `sudo.argv`), as `_SC`.
 * Nothing runs through sudo before `sudo -n -l <the same command line>` said it is allowed: that is sudo's own check
 * of one exact command line (argument patterns, `""`, negations, aliases all decided by sudo), it runs nothing and
 * logs nothing. So `sshd -T` allowed never means `sshd` allowed, and no refused command reaches the sudo log.
 *
 * Frames (see protocol.ts): `sudo <id>` + data (the command line as sudo resolved it) for each read done through
 * sudo; `lsudo <id>` + data for a directory listed through sudo; `nosudo <id>` when no allowed command could do
 * the read (the entry stays `denied`, a command fact is not run).
 *
 * Variables: s_* are this part's own; n, mf, id, max, wseen belong to _k_fileset (shared on purpose: the file cap,
 * the files already listed).
 */
// Written with `$<` for the shell's `${` (a raw template literal cannot hold `${` itself).
export const SUDO_LIB = String.raw`SFP='%f %a %u %g %s\n%U\n%G\n'

_sinit() {
  SU=
  if [ "$SR" = 1 ] && [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n -l </dev/null >/dev/null 2>&1; then
    SU=1
    printf '%s sudoreads\n' "$B"
  fi
}

# tag, id, argv...: true when sudo allows exactly this command line; then prints a frame (tag sudo or lsudo) with
# the command line as sudo resolved it.
_sok() {
  s_t=$1 s_id=$2
  shift 2
  s_r=$(sudo -n -l "$@" </dev/null 2>/dev/null) || return 1
  printf '%s %s %s\n' "$B" "$s_t" "$s_id"
  printf '%s\n' "$s_r" | head -c 4096 | enc
}

# id, path, maxBytes: the content of a file we may not read, through sudo (after its stat was printed), with the
# same secret handling as the plain path. The workstation hashes it when it arrived whole and unredacted. A
# stat-only fact (maxBytes 0: host keys, shadow) is not read; nor is a secret file (not even marked denied).
_sread() {
  if [ "$3" -eq 0 ]; then
    if [ "$_XM" != file ]; then printf '%s denied %s\n' "$B" "$1"; fi
    return 0
  fi
  if _sok sudo "$1" cat "$2"; then
    set -- "$1" "$3" cat "$2"
  elif _sok sudo "$1" head -c "$(($3 + 1))" "$2"; then
    set -- "$1" "$3" head -c "$(($3 + 1))" "$2"
  else
    printf '%s denied %s\n' "$B" "$1"
    printf '%s nosudo %s\n' "$B" "$1"
    return 0
  fi
  s_id=$1 s_m=$2
  shift 2
  sudo -n "$@" 2>/dev/null </dev/null | _sniff
  s_w=$?
  if [ "$s_w" -ne 0 ]; then
    _wh "$s_id" "$s_w"
    return 0
  fi
  sudo -n "$@" 2>/dev/null </dev/null | _body "$s_id" "$s_m"
}

# id, path, maxBytes: a file under a directory we cannot search (its entry line is printed).
_sent() {
  # --printf with \n escapes: the same output as the unprivileged stat -c "$SF", on one command line.
  if ! _sok sudo "$1" stat --printf "$SFP" "$2"; then
    printf '%s denied %s\n' "$B" "$1"
    printf '%s nosudo %s\n' "$B" "$1"
    return 0
  fi
  s_st=$(sudo -n stat --printf "$SFP" "$2" 2>/dev/null </dev/null) || {
    printf '%s absent %s\n' "$B" "$1"
    return 0
  }
  printf '%s stat %s\n' "$B" "$1"
  if [ "$_XM" = file ]; then _ssz "$s_st" | enc; else printf '%s\n' "$s_st" | enc; fi
  # %f is the raw mode in hex: 8xxx is a regular file.
  case $s_st in 8???' '*) _sread "$1" "$2" "$3" ;; esac
}

# pattern: the matches of a pattern whose directory we cannot list, listed through sudo find (sorted as sh sorts
# a glob under LC_ALL=C); each becomes an entry as _k_fileset would make it. Only the last path component may be a
# glob. A name with a line break is split by the line-wise listing: its pieces are then looked up and not found.
_slist() {
  s_d=$<1%/*}
  s_g=$<1##*/}
  case $s_d in '' | *[*?[]*) return 1 ;; esac
  _sok lsudo "$id" find "$s_d" -mindepth 1 -maxdepth 1 -name "$s_g" || return 1
  s_l=$(sudo -n find "$s_d" -mindepth 1 -maxdepth 1 -name "$s_g" 2>/dev/null </dev/null | sort)
  IFS='
'
  for s_p in $s_l; do
    case $s_p in "$s_d"/*/*) continue ;; "$s_d"/*) ;; *) continue ;; esac
    # sh globs skip dot files unless the pattern starts with a dot.
    case $s_g in .*) ;; *) case $<s_p##*/} in .*) continue ;; esac ;; esac
    if [ "$n" -ge "$mf" ]; then
      printf '%s more %s\n' "$B" "$id"
      IFS=
      return 0
    fi
    n=$((n + 1))
    # Seen, so that a mount-table reference to it is not listed again (_frefs).
    if [ -n "$_XF" ]; then wseen=$wseen$s_p$NL; fi
    _ent "$id" "$s_p" "$max"
  done
  IFS=
  return 0
}

# id: picks the first candidate command line of _SC (one per line, sh-quoted words) that sudo allows; sets s_c.
_scand() {
  IFS='
'
  for s_c in $_SC; do
    IFS=' 	
'
    if eval "_sok sudo \"\$1\" $s_c"; then return 0; fi
  done
  IFS=' 	
'
  return 1
}
`.replaceAll('$<', '${');
