#!/bin/sh
# numbox-gammu.sh: hands every SMS that Gammu SMSD receives to a Numbox site, exactly once, losing none.
#
#   /etc/gammu-smsdrc, [smsd] section:   RunOnReceive = /usr/local/bin/numbox-gammu.sh
#   cron, every minute:                  /usr/local/bin/numbox-gammu.sh --flush
#
# SMSD runs it with the message in its environment (SMS_MESSAGES, SMS_n_NUMBER, SMS_n_TEXT, DECODED_PARTS,
# DECODED_n_TEXT, PHONE_ID) and the message's backend ids as arguments. It writes the message to the spool
# directory first, then delivers everything spooled there, oldest first:
#   2xx                        stored (a re-sent message is answered 2xx too): removed from the spool
#   400, 409, 413, 422, …      the site refuses this message: moved to $NUMBOX_SPOOL/failed/ with its answer
#   no answer, 5xx, 429, 408,  the site cannot take it now, or the settings are wrong (key, gateway, URL):
#   401, 403, 404, 405, 415    kept, and retried by the next run
# With --flush it only delivers (and tells the site the host is alive while gammu-smsd runs).
# Needs POSIX sh and curl. Problems go to syslog (tag numbox-gammu) and to stderr.
#
# Settings: here, in the environment, or in $NUMBOX_CONFIG (read first; a plain list of NAME=value lines).

NUMBOX_CONFIG=${NUMBOX_CONFIG:-/etc/numbox/gammu.conf}
# shellcheck source=/dev/null
if [ -r "$NUMBOX_CONFIG" ]; then . "$NUMBOX_CONFIG"; fi

NUMBOX_URL=${NUMBOX_URL:-}                    # the site, e.g. https://numbox.example.org
NUMBOX_GATEWAY=${NUMBOX_GATEWAY:-}            # the gateway id (kind gammu)
NUMBOX_KEY=${NUMBOX_KEY:-}                    # the gateway's API key
NUMBOX_SPOOL=${NUMBOX_SPOOL:-/var/spool/numbox}
NUMBOX_TIMEOUT=${NUMBOX_TIMEOUT:-20}          # seconds per request
NUMBOX_DEADLINE=${NUMBOX_DEADLINE:-60}        # seconds a run may spend delivering (SMSD waits 2 minutes at most)
NUMBOX_DAEMON=${NUMBOX_DAEMON-gammu-smsd}     # heartbeats only while this process runs ("" = always)

KIND=gammu

# Spools the message SMSD hands over: one directory per message, one file per form field, so that curl can
# post each value byte for byte (newlines, quotes, UTF-8) without any encoding done here.
spool_message() {
    tmp=$NUMBOX_SPOOL/.tmp-$$
    rm -rf "$tmp" && mkdir "$tmp" || return 1
    messages=$(count "${SMS_MESSAGES-}" 1)
    parts=$(count "${DECODED_PARTS-}" 0)
    save_env SMS_MESSAGES DECODED_PARTS PHONE_ID || return 1
    n=1
    while [ "$n" -le "$messages" ]; do
        save_env "SMS_${n}_NUMBER" "SMS_${n}_TEXT" "SMS_${n}_CLASS" "SMS_${n}_REFERENCE" || return 1
        n=$((n + 1))
    done
    n=1
    while [ "$n" -le "$parts" ]; do
        save_env "DECODED_${n}_TEXT" "DECODED_${n}_MMS_SENDER" "DECODED_${n}_MMS_TITLE" \
            "DECODED_${n}_MMS_ADDRESS" "DECODED_${n}_MMS_SIZE" || return 1
        n=$((n + 1))
    done
    # The backend's ids (inbox file names, database row ids) make a re-run for the same message a duplicate.
    printf '%s' "$*" >"$tmp/ids" && printf '%s' "$entry_id" >"$tmp/spool_id" || return 1
    mv "$tmp" "$NUMBOX_SPOOL/$entry_id.$KIND"
}

# save_env NAME…: each variable that is set, into a file of that name.
save_env() {
    for name in "$@"; do
        eval "isset=\${$name+1}"
        [ -n "$isset" ] || continue
        value=
        eval "value=\${$name}"
        printf '%s' "$value" >"$tmp/$name" || return 1
    done
}

count() {
    case $1 in
    '' | *[!0-9]*) echo "$2" ;;
    *) if [ "$1" -gt 255 ]; then echo 255; else echo "$1"; fi ;;
    esac
}

# post_entry ENTRY RESPONSE-FILE: posts one spooled message, prints the HTTP status (000: no answer).
post_entry() {
    entry=$1
    out=$2
    shift 2
    for field in "$entry"/*; do
        [ -f "$field" ] || continue
        set -- "$@" --data-urlencode "${field##*/}@$field"
    done
    http "$endpoint" "$out" -H 'Content-Type: application/x-www-form-urlencoded' "$@"
}

# ---- Spool and delivery: the same in numbox-gammu.sh and numbox-smstools.sh --------------------------------

umask 077
LC_ALL=C
export LC_ALL
exec </dev/null
# Gammu SMSD closes every descriptor before running its program: files opened later must not become 1 or 2.
if ! (: >&1) 2>/dev/null; then exec >/dev/null; fi
if ! (: >&2); then exec 2>/dev/null; fi

log() {
    printf 'numbox-%s: %s\n' "$KIND" "$2" >&2
    if command -v logger >/dev/null 2>&1; then logger -t "numbox-$KIND" -p "user.$1" -- "$2" 2>/dev/null; fi
}

# http URL RESPONSE-FILE CURL-ARGS…: a POST with the API key (given to curl on stdin, never on its command
# line where other users could read it); prints the status, 000 when there was no answer.
http() {
    url=$1
    out=$2
    shift 2
    printf 'header = "Authorization: Bearer %s"\n' "$NUMBOX_KEY" |
        curl -sS -K - -o "$out" -w '%{http_code}' --connect-timeout 10 --max-time "$NUMBOX_TIMEOUT" \
            -X POST "$@" "$url" 2>"$out.curl"
}

now() { date +%s 2>/dev/null; }

past_deadline() {
    case $started in '' | *[!0-9]*) return 1 ;; esac
    t=$(now)
    case $t in '' | *[!0-9]*) return 1 ;; esac
    [ $((t - started)) -ge "$NUMBOX_DEADLINE" ]
}

# One run delivers at a time (several SMS in a row, or cron meeting SMSD). A symlink whose target is the
# holder's pid is taken atomically; a holder that died (killed, rebooted) leaves it behind, so check it runs.
take_lock() {
    lock=$NUMBOX_SPOOL/.lock-$KIND
    if ln -s "$$" "$lock" 2>/dev/null; then return 0; fi
    # The link's target is a pid (readlink is not POSIX; ls -l shows "name -> target").
    # shellcheck disable=SC2012
    holder=$(ls -ld "$lock" 2>/dev/null | sed 's/.* -> //')
    case $holder in '' | *[!0-9]*) return 1 ;; esac
    if running "$holder"; then return 1; fi
    rm -f "$lock"
    ln -s "$$" "$lock" 2>/dev/null
}

running() {
    if [ -d /proc/1 ]; then
        # The pid may have been reused by another program since: it must be one of us.
        tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q "numbox-$KIND"
    else
        kill -0 "$1" 2>/dev/null
    fi
}

summary() { tr -d '\r' <"$1" 2>/dev/null | tr '\n' ' ' | cut -c1-300; }

# deliver_one ENTRY: 0 when done with it (stored, or refused and moved to failed/), 1 when it must wait.
deliver_one() {
    response=$NUMBOX_SPOOL/.response-$KIND-$$
    status=$(post_entry "$1" "$response")
    name=${1##*/}
    case $status in
    2??)
        rm -rf "$1"
        rm -f "$response" "$response.curl"
        return 0
        ;;
    401 | 403 | 404 | 405 | 408 | 415 | 425 | 429)
        # Wrong key, gateway or URL, or "not now": nothing wrong with the message itself.
        log warning "the site answered $status ($(summary "$response")): $name waits in $NUMBOX_SPOOL"
        rm -f "$response" "$response.curl"
        return 1
        ;;
    4??)
        mkdir -p "$NUMBOX_SPOOL/failed" && mv "$1" "$NUMBOX_SPOOL/failed/$name" &&
            cp "$response" "$NUMBOX_SPOOL/failed/$name.response" 2>/dev/null
        log err "the site refused $name with $status ($(summary "$response")): moved to $NUMBOX_SPOOL/failed/"
        rm -f "$response" "$response.curl"
        return 0
        ;;
    *)
        # No answer (000), a redirect (set NUMBOX_URL to the final address) or a 5xx: try again later.
        if [ "$status" = 000 ] || [ -z "$status" ]; then
            log warning "cannot reach $endpoint ($(summary "$response.curl")): $name waits in $NUMBOX_SPOOL"
        else
            log warning "the site answered $status ($(summary "$response")): $name waits in $NUMBOX_SPOOL"
        fi
        rm -f "$response" "$response.curl"
        return 1
        ;;
    esac
}

# Delivers every spooled entry, oldest first (names start with the time), until one must wait; entries that
# runs spooled meanwhile (they found the lock taken) are picked up by another pass. 0 when nothing waits.
deliver_all() {
    while :; do
        progressed=
        for entry in "$NUMBOX_SPOOL"/*."$KIND"; do
            [ -e "$entry" ] || continue
            if past_deadline; then return 1; fi
            deliver_one "$entry" || return 1
            progressed=1
        done
        [ -n "$progressed" ] || return 0
    done
}

# Leftovers of runs that died while spooling (the message is still in the modem software's own store).
clean_leftovers() {
    for tmp in "$NUMBOX_SPOOL"/.tmp-*; do
        [ -e "$tmp" ] || continue
        pid=${tmp##*-}
        case $pid in '' | *[!0-9]*) continue ;; esac
        running "$pid" || rm -rf "$tmp"
    done
}

heartbeat() {
    if [ -n "$NUMBOX_DAEMON" ]; then
        if command -v pgrep >/dev/null 2>&1; then
            pgrep -x "$NUMBOX_DAEMON" >/dev/null 2>&1 || return 0
        elif command -v pidof >/dev/null 2>&1; then
            pidof "$NUMBOX_DAEMON" >/dev/null 2>&1 || return 0
        fi
    fi
    http "$endpoint/heartbeat" "$NUMBOX_SPOOL/.heartbeat-$KIND-$$" --data '' >/dev/null
    rm -f "$NUMBOX_SPOOL/.heartbeat-$KIND-$$" "$NUMBOX_SPOOL/.heartbeat-$KIND-$$.curl"
}

configured() {
    missing=
    [ -n "$NUMBOX_URL" ] || missing="$missing NUMBOX_URL"
    [ -n "$NUMBOX_GATEWAY" ] || missing="$missing NUMBOX_GATEWAY"
    [ -n "$NUMBOX_KEY" ] || missing="$missing NUMBOX_KEY"
    command -v curl >/dev/null 2>&1 || missing="$missing curl"
    [ -z "$missing" ] && return 0
    log err "not configured:$missing missing (see $NUMBOX_CONFIG); messages wait in $NUMBOX_SPOOL"
    return 1
}

main() {
    endpoint=${NUMBOX_URL%/}/api/inbound/$NUMBOX_GATEWAY
    started=$(now)
    if [ ! -d "$NUMBOX_SPOOL" ] && ! mkdir -p "$NUMBOX_SPOOL"; then
        log err "cannot create the spool directory $NUMBOX_SPOOL"
        exit 1
    fi
    if [ "${1-}" = --flush ]; then
        configured || exit 78
        take_lock || exit 0 # another run is delivering right now
        trap 'rm -f "$lock"' EXIT
        trap 'exit 1' HUP INT TERM
        clean_leftovers
        deliver_all
        waiting=$?
        heartbeat
        [ "$waiting" = 0 ] || exit 75
        exit 0
    fi
    accept "$@" || exit 0
    # Named by time first, so that a plain sorted listing is oldest first.
    entry_id=$(date -u +%Y%m%dT%H%M%SZ)-$$
    if ! spool_message "$@"; then
        log err "cannot write to the spool directory $NUMBOX_SPOOL: the message stays only in the modem software"
        rm -rf "$NUMBOX_SPOOL/.tmp-$$"
        exit 1
    fi
    configured || exit 0
    if ! take_lock; then
        # Another run is delivering: it picks this one up too, unless it is just finishing. One more try.
        sleep 2
        take_lock || exit 0
    fi
    trap 'rm -f "$lock"' EXIT
    trap 'exit 1' HUP INT TERM
    deliver_all
    exit 0
}

# ---- End of the shared part ---------------------------------------------------------------------------------

# Every call is a received message (SMSD has no other events for RunOnReceive).
accept() { return 0; }

main "$@"
