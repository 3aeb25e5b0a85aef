# Shared by the fake HSM tools (sourced, not run). A fake HSM keeps an "offline" file as a stub in
# the archive and its real content at $HSM_FAKE_OFFLINE<absolute path>; recalling copies the
# content over the stub after $HSM_FAKE_RECALL_DELAY seconds. Markers next to the offline copy:
#   <copy>.unreadable  the tape copy cannot be read: recall fails for this file
#   <copy>.lost        the HSM knows the copy is lost (shown by tools that can say so)
#   <copy>.recalling   a recall is under way
#   <copy>.recalled    the file was recalled (some tools show that as a distinct state)
# Every call is appended to $HSM_FAKE_LOG as "<program> [args] | <files>".
# A call with a file under $HSM_FAKE_FAILING_PREFIX fails as a whole with $HSM_FAKE_FAILING_EXIT
# (logged again as "refused | <files>").

: "${HSM_FAKE_OFFLINE:?HSM_FAKE_OFFLINE must name the fake offline area}"
: "${HSM_FAKE_LOG:?HSM_FAKE_LOG must name the call log}"
HSM_FAKE_RECALL_DELAY="${HSM_FAKE_RECALL_DELAY:-0.3}"

log_call() { # log_call "<program and args>" files...
    local head="$1"
    shift
    printf '%s | %s\n' "$head" "$*" >> "$HSM_FAKE_LOG"
}

offline_copy() {
    printf '%s%s' "$HSM_FAKE_OFFLINE" "$1"
}

is_offline() {
    local copy
    copy="$(offline_copy "$1")"
    [ -e "$copy" ] || [ -e "$copy.unreadable" ]
}

is_lost() {
    [ -e "$(offline_copy "$1").lost" ]
}

is_recalling() {
    [ -e "$(offline_copy "$1").recalling" ]
}

was_recalled() {
    [ -e "$(offline_copy "$1").recalled" ]
}

# Exits the tool with $HSM_FAKE_FAILING_EXIT when any file is under $HSM_FAKE_FAILING_PREFIX.
fail_if_failing_prefix() { # fail_if_failing_prefix "<message>" files...
    local message="$1"
    shift
    [ -n "${HSM_FAKE_FAILING_PREFIX:-}" ] || return 0
    local file
    for file in "$@"; do
        case "$file" in
            "$HSM_FAKE_FAILING_PREFIX"*)
                log_call "refused" "$@"
                echo "$message" >&2
                exit "${HSM_FAKE_FAILING_EXIT:-1}"
                ;;
        esac
    done
}

# Recalls the files after the delay; prints a line on stderr per file it cannot recall and
# returns how many those were.
recall_files() {
    local file copy failures=0
    for file in "$@"; do
        is_offline "$file" && touch "$(offline_copy "$file").recalling"
    done
    sleep "$HSM_FAKE_RECALL_DELAY"
    for file in "$@"; do
        copy="$(offline_copy "$file")"
        rm -f "$copy.recalling"
        if [ -e "$copy" ]; then
            local mtime
            mtime="$(stat -c %Y "$file")"
            # content first, then the offline copy goes: the file reads as online only when complete
            cat "$copy" > "$file"
            touch -d "@$mtime" "$file"
            rm -f "$copy"
            touch "$copy.recalled"
        elif [ -e "$copy.unreadable" ]; then
            echo "cannot read the tape copy of $file: media error" >&2
            failures=$((failures + 1))
        fi
    done
    return "$failures"
}

# Recalls in the background, as HSMs whose recall command only queues the request do.
recall_files_in_background() { # recall_files_in_background "<program>" files...
    local program="$1"
    shift
    (
        recall_files "$@"
        log_call "done $program" "$@"
    ) < /dev/null > /dev/null 2>&1 &
}
