/**
 * The fixed part of the collector script: POSIX sh functions that frame every fact. Kept apart from the generator so
 * it can be read (and reviewed by a customer's admin) as one piece. Rules it follows:
 * - read-only: nothing is redirected anywhere but /dev/null or an already open descriptor; no temp files;
 * - every byte from the target goes through `enc` (base64, or `od` hex when base64 is absent) before it is printed;
 * - header lines hold only our tokens: the boundary, a tag, a fact id, a number or a hex digest;
 * - every fact runs in its own subshell with stdin from /dev/null, so one failing fact never stops the rest
 *   (and nothing can eat the script itself, which arrives on stdin with `sh -s`).
 *
 * Helpers keep their state in w-prefixed variables (`_q` sets wq, `_prunes` wp, ...), apart from the facts'.
 *
 * Secrets (shared/facts/secrets.ts) are dealt with here, on the target, by the same three functions on every read
 * path (plain, as root, through restricted sudo): `_sniff` keeps private key material back, `_red` replaces the
 * secret values of a fact with a rule, `_ssz` reduces a secret file's size to empty or not. The fact's rule arrives
 * in _XM (keys, options or file), _XK and _XX (the keys to redact and to keep, as EREs), _XT and _XF (a mount
 * table and the options in it that name more files of a fileset).
 *
 * Descriptors: 3 = the real stdout (frames). Inside `_k_command`, 7 = the command's stderr pipe, 8 = the pipe that
 * carries its exit status, 9 = the command substitution that captures encoded stderr.
 */
import { REDACTED } from '../../shared/facts/secrets.js';
import { shQuote } from './sh-quote.js';

// Written with `$<` for the shell's `${` (a raw template literal cannot hold `${` itself).
export const SCRIPT_LIB = String.raw`LC_ALL=C; export LC_ALL
_XM= _XK= _XX= _XF= _XT= _SC= _SP=
# The pre-scan's state (_pq, _pd): empty whatever the environment holds, as it reaches eval.
GP= _P= gk= gl= ga= _gh=
RED=${shQuote(REDACTED)}
NL='
'
PATH=$<PATH:+$PATH:}/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin; export PATH
IFS=' 	
'
set -f
SF='%f %a %u %g %s
%U
%G'

_init() {
  if command -v base64 >/dev/null 2>&1 && [ "$(printf 'fe\377' | base64 2>/dev/null)" = 'ZmX/' ]; then
    E=b64 EC=base64
  else
    E=hex EC='od -An -v -tx1'
  fi
  if [ "$TMO" -gt 0 ] && command -v timeout >/dev/null 2>&1 && timeout -k 5 5 true >/dev/null 2>&1; then :; else TMO=0; fi
  AW=
  if command -v awk >/dev/null 2>&1 && command -v tr >/dev/null 2>&1; then AW=1; fi
  KT=$(printf '^\005[\001\002]')
  # OX: od caps what it reads (-N), so a command's stderr is capped and encoded (hex) by one process.
  OX=
  if [ "$(printf 'fe' | od -An -v -tx1 -N 1 2>/dev/null)" = ' 66' ]; then OX=1; fi
}

# EC: the encoder as words, for _k_command's pipelines (one process where a function would cost a subshell too;
# expanded there under the default IFS).
enc() {
  if [ "$E" = b64 ]; then base64; else od -An -v -tx1; fi
}

# Keep at most $1+1 bytes of stdin (the parser cuts at $1 and so knows about truncation). A writer with more output
# than that gets SIGPIPE: its output is marked truncated, and its exit status is then the signal's.
_cap() {
  head -c "$(($1 + 1))" | enc
}

# True when the deepest existing directory above $1 cannot be searched (or, for a glob, listed) by us.
_blocked() {
  case $1 in /*) ;; *) return 1 ;; esac
  d=$<1%/*}
  while [ -n "$d" ] && ! [ -d "$d" ]; do d=$<d%/*}; done
  [ -n "$d" ] || d=/
  if ! [ -x "$d" ]; then return 0; fi
  [ -n "$2" ] && ! [ -r "$d" ]
}

# stdin: a file's content. Status 0 when it may be sent; 1 when it holds private key material (a PEM, OpenSSH or
# PuTTY private key anywhere in it, or a Kerberos keytab: 0x05 0x01 or 0x05 0x02 at the start of a line); 2 when
# it cannot be checked (grep failed or is missing; or the fact has a rule and there is no awk or tr to apply it).
_sniff() {
  if [ -n "$_XM" ] && [ -z "$AW" ]; then return 2; fi
  grep -q -e '-----BEGIN [A-Z0-9 ]*PRIVATE KEY' -e '^PuTTY-User-Key-File-' -e "$KT" 2>/dev/null
  case $? in 0) return 1 ;; 1) return 0 ;; *) return 2 ;; esac
}

# The readable regular files the patterns in $@ name (at most mf entries, names without a newline), one per line.
_lsr() {
  k=0
  IFS=
  set +f
  for pat in "$@"; do
    for p in $pat; do
      if [ -e "$p" ] || [ -L "$p" ]; then
        k=$((k + 1))
        if [ "$k" -gt "$mf" ]; then return 0; fi
      fi
      case $p in *"$NL"*) continue ;; esac
      if [ -f "$p" ] && [ -r "$p" ]; then printf '%s\n' "$p"; fi
    done
  done
}

# For _k_fileset (its max and mf), the patterns in $@: wsb, the regular files they name that may be read (at most mf
# entries, names without a newline; each between newlines), and wsh, those of them that hold private key material,
# found by one grep for them all instead of one per file. Both stay empty, and each file is looked at alone by
# _sniff, when grep cannot answer for all of them (an error on any file, a list too long to run).
_sniffs() {
  wsb= wsh= wsp=$NL wsx=
  if [ "$max" -le 0 ] || { [ -n "$_XM" ] && [ -z "$AW" ]; }; then return 0; fi
  wl=$(_lsr "$@")
  if [ -z "$wl" ]; then return 0; fi
  _sgrep
  if [ -n "$wsb" ]; then _sstat "$wl"; fi
}

# The files of wl (one per line): wsb and wsh as _sniffs describes them.
_sgrep() {
  wh=$(
    IFS=$NL
    set -f
    set -- $wl
    grep -l -e '-----BEGIN [A-Z0-9 ]*PRIVATE KEY' -e '^PuTTY-User-Key-File-' -e "$KT" -- "$@" 2>/dev/null
    echo "=$?"
  )
  case $wh in *=0 | *=1) ;; *) return 0 ;; esac
  wsb=$NL$wl$NL
  wsh=$NL$<wh%=?}
}

# The stat lines of the files in $1 (one per line), from one stat for all, paired with the paths in order and added
# to wsp (path line, stat line); none when stat fails on any (a file gone meanwhile), and each file is then stat'ed
# alone.
_sstat() {
  wss=$(
    IFS=$NL
    set -f
    set -- $1
    stat -c '%f %a %u %g %s %U %G' -- "$@" 2>/dev/null
    echo "=$?"
  )
  case $wss in *"$NL=0") wss=$<wss%=0} ;; *) return 0 ;; esac
  wi=$IFS
  IFS=$NL
  set -f
  for wp in $1; do
    wsl=$<wss%%"$NL"*}
    wss=$<wss#*"$NL"}
    wsp=$wsp$wp$NL$wsl$NL
  done
  IFS=$wi
}

# The pre-scan, before the facts, for every file and fileset fact without a secret rule (those keep their own look
# at their files, with their rule), each given a number pk by the script: _pq (pk, mf, c or s, pattern...) lists the
# readable regular files of a fact into _gl<pk>, those of a fact that keeps content (c, not s: stat only) also into
# gl; _pd then looks at the files of gl with one grep (private key material) and stats and hashes all of them with
# one stat and one sha256sum, instead of one of each per fact or per file (a fact that reads content still stats its
# own files just before it reads them, see _pw). The answers are kept per fact, as small as
# a fact's own (_gp<pk>: path and stat lines, _gx<pk>: path and hash lines; _gh: the files that hold key material),
# and the fact (_P set to its number) takes them as its wsb, wsh, wsp and wsx (GP set). When grep cannot answer for
# all of them, GP stays empty and each fact looks at its own files, as _sniffs does.
_pq() {
  pk=$1 mf=$2 pc=$3
  shift 3
  w=$(_lsr "$@")
  eval "_gl$pk=\$w _gp$pk= _gx$pk="
  gk=$gk$pk$NL
  if [ "$pc" = c ]; then gl=$gl$w$NL; fi
}

_pd() {
  GP= ga=
  wi=$IFS
  IFS=$NL
  for pk in $gk; do eval "ga=\$ga\$_gl$pk\$NL"; done
  IFS=$wi
  case $ga in *[!"$NL"]*) ;; *) gl=; return 0 ;; esac
  _gh=$NL
  case $gl in
    *[!"$NL"]*)
      wl=$gl wsb=
      _sgrep
      gl=
      if [ -z "$wsb" ]; then return 0; fi
      _gh=$wsh
      ;;
  esac
  _pair _gp stat -c '%f %a %u %g %s %U %G'
  _pair _gx sha256sum
  GP=1
}

# $1: _gp or _gx; the rest: a command (stat or sha256sum) run once over the files of ga, one line each, in order.
# Sets $1<pk> of each pre-scanned fact to its files' lines (path line, then the stat line or the hash). Nothing when
# the command failed or the lines do not pair with the files; the facts then stat or hash their files alone.
_pair() {
  wv=$1
  shift
  wo=$(
    IFS=$NL
    set -f
    set -- "$@" -- $ga
    "$@" 2>/dev/null
    echo "=$?"
  )
  case $wo in *"$NL=0") ;; *) return 0 ;; esac
  wo=$<wo%"$NL=0"}
  wi=$IFS
  IFS=$NL
  set -f
  set -- $ga
  wn=$#
  set -- $wo
  if [ "$#" -ne "$wn" ]; then
    IFS=$wi
    return 0
  fi
  for pk in $gk; do
    eval "wl=\$_gl$pk"
    wp2=$NL
    for wp in $wl; do
      wsl=$1
      shift
      if [ "$wv" = _gx ]; then
        # GNU sha256sum starts the line with a backslash when it escaped the name.
        wsl=$<wsl#\\}
        wsl=$<wsl%%[!0-9a-f]*}
      fi
      wp2=$wp2$wp$NL$wsl$NL
    done
    eval "$wv$pk=\$wp2"
  done
  IFS=$wi
}

# The pre-scan's answers for fact _P (maxBytes $1) as its wsb, wsh, wsp and wsx. A fact that reads content stats its
# files itself, right before it reads them (one stat for them all): a file whose size fits is read without a cap,
# so its size must not be one from before the earlier facts ran. A stat-only fact takes the pre-scan's stat lines.
_pw() {
  eval "wl=\$_gl$_P wsx=\$_gx$_P"
  wsb=$NL$wl$NL wsh=$_gh wsp=$NL
  if [ "$1" -gt 0 ]; then
    case $wl in *[!"$NL"]*) _sstat "$wl" ;; esac
  else
    eval "wsp=\$_gp$_P"
  fi
}

# id, _sniff's status: the frame that says why a file's content is not sent.
_wh() {
  if [ "$2" -eq 1 ]; then printf '%s withheld %s key\n' "$B" "$1"; else printf '%s withheld %s unchecked\n' "$B" "$1"; fi
}

# stdin -> stdout: the fact's secret values replaced by $RED (POSIX awk: mawk, gawk, busybox; a CR before the
# newline stays). _XM=keys: lines 'key = value', 'key: value' or 'key value', also commented out with # or ; (a
# UTF-8 BOM before the first line is kept aside): when the key in lower case matches the ERE _XK and not _XX, a
# non-empty value is replaced, and so is every indented line without '=' that follows (an INI value continued).
# The key is the first word, or else all that stands before the first '=' ('a key with blanks = value').
# _XM=options: 'key=value' anywhere in a line, after its start, a blank, a comma, '#' or '=': the value up to the
# next blank or comma. NUL bytes are dropped first (busybox awk would end a line there).
_red() {
  tr -d '\000' | awk -v m="$_XM" -v K="$_XK" -v X="$_XX" -v M="$RED" '
function secret(k) {
  k = tolower(k)
  return K != "" && k ~ K && (X == "" || k !~ X)
}
function opts(l,   out, tok, pre, ctx, c, eq) {
  out = ""
  while (match(l, /[A-Za-z0-9_]+=[^ \t,]*/)) {
    tok = substr(l, RSTART, RLENGTH)
    pre = substr(l, 1, RSTART - 1)
    ctx = out pre
    c = substr(ctx, length(ctx))
    eq = index(tok, "=")
    if ((ctx == "" || c == " " || c == "\t" || c == "," || c == "#" || c == "=") && secret(substr(tok, 1, eq - 1)) && eq < length(tok)) {
      out = ctx substr(tok, 1, eq) M
      l = substr(l, RSTART + RLENGTH)
    } else {
      # Not a secret: go on after its "=", so that a value holding "password=..." is looked at too.
      out = ctx substr(tok, 1, eq)
      l = substr(l, RSTART + eq)
    }
  }
  return out l
}
{
  l = $0
  cr = ""
  if (substr(l, length(l)) == "\r") { cr = "\r"; l = substr(l, 1, length(l) - 1) }
  if (m == "options") { print opts(l) cr; next }
  if (cont && l ~ /^[ \t]/ && l !~ /=/ && l ~ /[^ \t]/) {
    match(l, /^[ \t]*/)
    print substr(l, 1, RLENGTH) M cr
    next
  }
  cont = 0
  bom = ""
  if (NR == 1 && substr(l, 1, 3) == "\357\273\277") { bom = "\357\273\277"; l = substr(l, 4) }
  match(l, /^[ \t#;]*/)
  p = bom substr(l, 1, RLENGTH)
  r = substr(l, RLENGTH + 1)
  if (match(r, /^[^ \t=:]+/)) {
    key = substr(r, 1, RLENGTH)
    rest = substr(r, RLENGTH + 1)
    if (secret(key) && (match(rest, /^[ \t]*[=:][ \t]*/) || match(rest, /^[ \t]+/)) && RLENGTH < length(rest)) {
      print p key substr(rest, 1, RLENGTH) M cr
      cont = 1
      next
    }
  }
  i = index(r, "=")
  if (1 < i) {
    key = substr(r, 1, i - 1)
    sub(/[ \t]+$/, "", key)
    v = substr(r, i + 1)
    match(v, /^[ \t]*/)
    if (secret(key) && RLENGTH < length(v)) {
      print p substr(r, 1, i) substr(v, 1, RLENGTH) M cr
      cont = 1
      next
    }
  }
  print bom l cr
}'
}

# id, maxBytes; stdin: a file's content that may be sent (see _sniff). Its content frame: the first maxBytes+1
# bytes (one more than kept, so truncation is known), the fact's secret values redacted.
_body() {
  printf '%s content %s\n' "$B" "$1"
  if [ -n "$_XM" ]; then
    head -c "$(($2 + 1))" 2>/dev/null | _red 2>/dev/null | head -c "$(($2 + 1))" | enc
  else
    head -c "$(($2 + 1))" 2>/dev/null | enc
  fi
}

# A stat text (see SF) with its size as 0 (empty) or 1 (not empty): a secret file's size is the secret's length.
_ssz() {
  if [ -z "$1" ]; then return 0; fi
  wa=$<1%%"$NL"*}
  wb=$<1#"$wa"}
  wz=$<wa##* }
  if [ "$wz" != 0 ]; then wz=1; fi
  printf '%s %s%s\n' "$<wa% *}" "$wz" "$wb"
}

# True when the words $1..$7 form a plain stat line (hex mode, octal mode, uid, gid, size, user, group; every word
# of these characters only): it may go on a header line. Sets wsz5 to the size.
_pst() {
  [ $# -eq 7 ] || return 1
  case "$*" in *[!A-Za-z0-9._\ -]*) return 1 ;; esac
  wsz5=$5
  case $5 in ''|*[!0-9]*) return 1 ;; esac
}

# The words of a plain stat line (see _pst) back in wst, the size as 0 (empty) or 1 (not empty), as _ssz does.
_pz() {
  wz=$5
  if [ "$wz" != 0 ]; then wz=1; fi
  wst="$1 $2 $3 $4 $wz $6 $7"
}

# One file: id, path, maxBytes (and the fact's secret rule, _XM ...).
_ent() {
  # A plain path (absolute, at most 200 of these ASCII characters) goes on the header line itself: it cannot hold a
  # space, newline or anything else that could confuse a header, and it saves two processes per file. Any other
  # path is encoded like every other value.
  case $2 in
    ''|[!/]*|*[!A-Za-z0-9._/+,=@%:-]*) printf '%s entry %s\n' "$B" "$1"; printf '%s' "$2" | enc ;;
    *) if [ $<#2} -le 200 ]; then printf '%s epath %s %s\n' "$B" "$1" "$2"; else printf '%s entry %s\n' "$B" "$1"; printf '%s' "$2" | enc; fi ;;
  esac
  if [ -e "$2" ] || [ -L "$2" ]; then
    # The stat line goes on a header of its own when it is seven plain words (names of these characters only);
    # else it is encoded. Its size decides the read: a file that fits is encoded straight from the file and hashed
    # by the workstation from what arrived (one process instead of four); a bigger one is hashed here and cut.
    # A secret file (_XM=file) is stat only, its size as empty or not: never read, never hashed.
    case $wsp in
      *"$NL$2$NL"*)
        wst=$<wsp#*"$NL$2$NL"}
        wst=$<wst%%"$NL"*}
        ;;
      *) wst=$(stat -c '%f %a %u %g %s %U %G' -- "$2" 2>/dev/null) ;;
    esac
    wi=$IFS
    IFS=' '
    if _pst $wst; then
      wsz=$wsz5
      if [ "$_XM" = file ]; then _pz $wst; fi
      printf '%s pstat %s %s\n' "$B" "$1" "$wst"
    else
      printf '%s stat %s\n' "$B" "$1"
      if [ "$_XM" = file ]; then
        _ssz "$(stat -c "$SF" -- "$2" 2>/dev/null)" | enc
      else
        stat -c "$SF" -- "$2" 2>/dev/null | enc
      fi
      wsz=
    fi
    IFS=$wi
    if [ "$_XM" = file ]; then return 0; fi
    if [ -f "$2" ]; then
      if [ -r "$2" ]; then
        # Content is looked at before it is sent: private key material stays here (stat and hash only).
        wk=0
        if [ "$3" -gt 0 ]; then
          case $wsb in
            *"$NL$2$NL"*) case $wsh in *"$NL$2$NL"*) wk=1 ;; *) wk=0 ;; esac ;;
            *)
              _sniff <"$2"
              wk=$?
              ;;
          esac
        fi
        if [ "$wk" -eq 0 ] && [ "$3" -gt 0 ] && [ -n "$_XM" ]; then
          # Secret values redacted; no hash of such a file, here or on the workstation (with the rest of the file
          # known, the hash of a short password would test guesses).
          _body "$1" "$3" <"$2"
        elif [ "$wk" -eq 0 ] && [ "$3" -gt 0 ] && [ -n "$wsz" ] && [ "$wsz" -gt 0 ] 2>/dev/null && [ "$wsz" -le "$3" ] 2>/dev/null; then
          printf '%s content %s\n' "$B" "$1"
          enc 2>/dev/null <"$2"
        else
          if [ -z "$_XM" ]; then
            case $wsx in
              *"$NL$2$NL"*)
                h=$<wsx#*"$NL$2$NL"}
                h=$<h%%"$NL"*}
                ;;
              *)
                h=$(sha256sum 2>/dev/null <"$2")
                h=$<h%%[!0-9a-f]*}
                ;;
            esac
            if [ -n "$h" ]; then printf '%s sha %s %s\n' "$B" "$1" "$h"; fi
          fi
          if [ "$wk" -ne 0 ]; then
            _wh "$1" "$wk"
          elif [ "$3" -gt 0 ]; then
            printf '%s content %s\n' "$B" "$1"
            head -c "$(($3 + 1))" 2>/dev/null <"$2" | enc
          fi
        fi
      elif [ -n "$SU" ]; then
        _sread "$1" "$2" "$3"
      else
        printf '%s denied %s\n' "$B" "$1"
      fi
    fi
  elif _blocked "$2" ''; then
    if [ -n "$SU" ]; then _sent "$1" "$2" "$3"; else printf '%s denied %s\n' "$B" "$1"; fi
  else
    printf '%s absent %s\n' "$B" "$1"
  fi
}

# id, maxBytes, path
_k_file() {
  if [ -n "$GP" ] && [ -n "$_P" ]; then _pw "$2"; else wsb= wsh= wsp= wsx=; fi
  _ent "$1" "$3" "$2"
}

# id, maxBytes, maxFiles, pattern...
_k_fileset() {
  id=$1 max=$2 mf=$3 n=0 i=0 wseen=$NL
  shift 3
  if [ -n "$GP" ] && [ -n "$_P" ]; then _pw "$max"; else _sniffs "$@"; fi
  IFS=
  for pat in "$@"; do
    g=
    case $pat in *[*?[]*) g=1 ;; esac
    found=
    set +f
    for p in $pat; do
      set -f
      if [ -e "$p" ] || [ -L "$p" ]; then
        found=1
        if [ "$n" -ge "$mf" ]; then
          printf '%s more %s\n' "$B" "$id"
          return 0
        fi
        n=$((n + 1))
        if [ -n "$_XF" ]; then wseen=$wseen$p$NL; fi
        _ent "$id" "$p" "$max"
      fi
    done
    set -f
    if [ -z "$found" ] && _blocked "$pat" "$g"; then
      if [ -z "$SU" ] || ! _slist "$pat"; then printf '%s pdenied %s %s\n' "$B" "$id" "$i"; fi
    fi
    i=$((i + 1))
  done
  if [ -n "$_XF" ]; then _frefs; fi
}

# The files the mount table _XT (fstab format, e.g. /etc/fstab) names in the mount options _XF (comma-separated
# names, e.g. credentials,cred), for _k_fileset (its id, max, mf, n and wseen): each once and not one the patterns
# listed, as an entry (absent when it does not exist, denied when it cannot be reached).
_frefs() {
  if ! [ -r "$_XT" ]; then return 0; fi
  while IFS=' 	' read -r wdev wmnt wtyp wopt wrest; do
    case $wdev in '' | '#'*) continue ;; esac
    IFS=,
    for wo in $wopt; do
      for wn in $_XF; do
        case $wo in "$wn"=/*) ;; *) continue ;; esac
        _unmangle "$<wo#*=}"
        case $wseen in *"$NL$wu$NL"*) continue ;; esac
        wseen=$wseen$wu$NL
        IFS=
        if [ "$n" -ge "$mf" ]; then
          printf '%s more %s\n' "$B" "$id"
          return 0
        fi
        n=$((n + 1))
        _ent "$id" "$wu" "$max"
        IFS=,
      done
    done
    IFS=
  done <"$_XT"
}

_exec() {
  if [ "$TMO" -gt 0 ]; then
    timeout -k 5 "$TMO" sh -c "$1"
  else
    (set +f; eval "$1")
  fi
}

# id, maxBytes, script, required command...
_k_command() {
  id=$1 max=$2 s=$3
  shift 3
  IFS=' 	
'
  ok=
  if [ $# -eq 0 ]; then ok=1; fi
  for r in "$@"; do
    case $r in
      /*) if [ -x "$r" ]; then ok=1; fi ;;
      *) if command -v "$r" >/dev/null 2>&1; then ok=1; fi ;;
    esac
    if [ -n "$ok" ]; then break; fi
  done
  if [ -z "$ok" ]; then
    printf '%s missing %s\n' "$B" "$id"
    return 0
  fi
  # A root-only command with sudo candidates (_SC), under restricted sudo: the first allowed one, or nothing.
  if [ -n "$SU" ] && [ -n "$_SC" ]; then
    if ! _scand "$id"; then
      printf '%s nosudo %s\n' "$B" "$id"
      return 0
    fi
    s="sudo -n $s_c$<_SP:+ | $_SP}"
  fi
  printf '%s stdout %s\n' "$B" "$id"
  # Four pipes, no temp file: stdout encoded to the frames (3), stderr encoded into err (through 9), the exit status
  # through 8. The caps are inline (a function in a pipeline would cost a subshell each).
  wm=$((max + 1))
  if [ -n "$OX" ]; then
    err=$( { { { { _exec "$s" </dev/null 2>&7 7>&- 8>&- 9>&- 3>&-; echo "$?" >&8; } | head -c "$wm" | $EC >&3; } 7>&1 | od -An -v -tx1 -N "$wm" >&9; } 8>&1 | { read -r rc; exit "$<rc:-255}"; }; } 9>&1 )
  else
    err=$( { { { { _exec "$s" </dev/null 2>&7 7>&- 8>&- 9>&- 3>&-; echo "$?" >&8; } | head -c "$wm" | $EC >&3; } 7>&1 | head -c "$wm" | $EC >&9; } 8>&1 | { read -r rc; exit "$<rc:-255}"; }; } 9>&1 )
  fi
  rc=$?
  printf '%s stderr %s%s\n' "$B" "$id" "$<OX:+ hex}"
  if [ -n "$err" ]; then printf '%s\n' "$err"; fi
  if [ "$TMO" -gt 0 ] && [ "$rc" -eq 124 ]; then printf '%s timeout %s\n' "$B" "$id"; fi
  printf '%s rc %s %s\n' "$B" "$id" "$rc"
}

# Quotes $1 as one sh word, into wq.
_q() {
  wq= ws=$1
  while :; do
    case $ws in
      *\'*) wq=$wq$<ws%%\'*}"'\\''"; ws=$<ws#*\'} ;;
      *) break ;;
    esac
  done
  wq="'$wq$ws'"
}

# /proc/self/mounts writes a space, tab, newline or backslash in a mount point as \040 \011 \012 \134: $1 as it
# really is, into wu.
_unmangle() {
  wu= ws=$1
  while :; do
    case $ws in
      *\\*)
        wu=$wu$<ws%%\\*}
        ws=$<ws#*\\}
        case $ws in
          040*) wu="$wu " ;;
          011*) wu="$wu	" ;;
          012*) wu="$wu
" ;;
          134*) wu="$wu\\" ;;
          *) wu="$wu\\"; continue ;;
        esac
        ws=$<ws#???} ;;
      *) wu=$wu$ws; return 0 ;;
    esac
  done
}

# $1 as a find -path pattern that matches only itself (\ * ? [ escaped), into wg.
_gesc() {
  wg= ws=$1
  case $ws in *'\'*|*'*'*|*'?'*|*'['*) ;; *) wg=$ws; return 0 ;; esac
  while [ -n "$ws" ]; do
    wc=$<ws%"$<ws#?}"}
    ws=$<ws#?}
    case $wc in '\'|'*'|'?'|'[') wg="$wg\\$wc" ;; *) wg=$wg$wc ;; esac
  done
}

# The mount points below $1 (never $1 itself) the walk must not enter, as ' -o -path <mount>' words in wp:
# pseudo, network, FUSE and removable file systems, and remote sources (host:path, //host/share), as df --local
# and the CIS audits skip them. $2 is the mount table (/proc/self/mounts); without one, wx=-xdev keeps the walk
# on the file system of $1.
_prunes() {
  wp= wx= wroot=$<1%/}
  if ! [ -r "$2" ]; then
    wx=-xdev
    return 0
  fi
  while read -r wsrc wmnt wfs wrest; do
    case $wfs in
      proc|sysfs|devpts|cgroup|cgroup2|securityfs|debugfs|tracefs|pstore|bpf|configfs|fusectl|mqueue|hugetlbfs) ;;
      autofs|binfmt_misc|efivarfs|selinuxfs|rpc_pipefs|nsfs|nfsd|devfs|kernfs) ;;
      nfs|nfs4|cifs|smb3|smbfs|ncpfs|afs|ceph|glusterfs|9p|lustre|gpfs|ocfs2|gfs2|davfs|coda|fuse|fuse.*|fuseblk) ;;
      vfat|msdos|exfat|iso9660|udf|squashfs) ;;
      *) case $wsrc in *:*|//*) ;; *) continue ;; esac ;;
    esac
    case $wmnt in *\\*) _unmangle "$wmnt"; wmnt=$wu ;; esac
    case $wmnt in "$wroot"/?*) ;; *) continue ;; esac
    _gesc "$wmnt"
    _q "$wg"
    wp="$wp -o -path $wq"
  done <"$2"
}

# For a find without -nouser / -nogroup (busybox): the primaries "owned by no id listed in $1" ($2: user or
# group), into wn. Only the file is read (name services are not asked).
_noid() {
  wn="-$2 0"
  if [ -r "$1" ]; then
    while IFS=: read -r wa wb wid wrest; do
      case $wid in '' | *[!0-9]*) ;; *) wn="$wn -o -$2 $wid" ;; esac
    done <"$1"
  fi
  wn="\\! \\( $wn \\)"
}

# $1 with every $2 replaced by $3, into wr.
_subst() {
  wr= ws=$1
  while :; do
    case $ws in
      *"$2"*) wr=$wr$<ws%%"$2"*}$3; ws=$<ws#*"$2"} ;;
      *) wr=$wr$ws; return 0 ;;
    esac
  done
}

# id, maxBytes, root, fixed prunes (' -o -path DIR' words, ours), selection (find words, ours): the scan's one
# walk of the local file systems below root, framed as a command whose stdout is the selection's records.
_k_walk() {
  wt=$5
  case $wt in
    *-nouser* | *-nogroup*)
      if ! find /dev/null -prune \( -nouser -o -nogroup \) >/dev/null 2>&1; then
        _noid /etc/passwd user
        _subst "$wt" -nouser "$wn"
        _noid /etc/group group
        _subst "$wr" -nogroup "$wn"
        wt=$wr
      fi
      ;;
  esac
  _prunes "$3" /proc/self/mounts
  wp="$4$wp"
  if [ -n "$wp" ]; then wt="\\( -type d \\( $<wp# -o } \\) -prune \\) -o $wt"; fi
  _q "$3"
  # One walk does the work of three finds (it runs in its fact's subshell: the budget does not leak).
  TMO=$((TMO * 3))
  _k_command "$1" "$2" "find $wq $wx $wt 2>/dev/null" find
}

# kind, id, args...: one frame. The leading newline of the end line keeps it a line of its own even when a
# fact's subshell died mid-line.
_fact() {
  k=$1
  shift
  printf '%s begin %s %s\n' "$B" "$1" "$k"
  ("_k_$k" "$@")
  printf '\n%s end %s %s\n' "$B" "$1" "$?"
}
`.replaceAll('$<', '${');
