#!/usr/bin/env bash
# The hostile-input reliability trial of the xai4j command line (see README.md in this folder).
# Usage: tools/trial/run.sh [WORK_DIR]     environment: TRIAL_JOBS (2), TRIAL_TIMEOUT (seconds per run, 300),
#        TRIAL_ONLY (a regular expression: run only the cases whose id matches), TRIAL_JAVA_OPTS
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
export JAR="$repo/cli/target/xai4j-cli.jar"
SEP=$'\x1f'

# One case: run the command in its own folder, classify the outcome, print one result line.
if [ "${1:-}" = "--one" ]; then
    IFS="$SEP" read -r -a f <<< "$2"
    id=${f[0]} category=${f[1]} expect=${f[2]}
    args=("${f[@]:3}")
    dir="$WORK/runs/$id"
    mkdir -p "$dir"
    cd "$dir" || exit 1
    start=$(date +%s%N)
    # shellcheck disable=SC2086
    timeout -k 5 "$TRIAL_TIMEOUT" nice java -XX:ErrorFile="$dir/hs_err_pid%p.log" ${TRIAL_JAVA_OPTS:-} \
        ${CASE_JAVA_OPTS:-} -cp "$JAR" io.xai4j.cli.Main "${args[@]}" > stdout 2> stderr < /dev/null
    rc=$?
    seconds=$(( ($(date +%s%N) - start) / 1000000 ))
    seconds=$(printf '%d.%03d' $((seconds / 1000)) $((seconds % 1000)))
    message=$(grep -m1 -E '^(error|internal error|warning|WARN|\[main\] WARN)' stderr | cut -c1-300)
    [ -z "$message" ] && message=$(grep -m1 -v '^\s*$' stderr | cut -c1-300)
    warned=no
    grep -qiE 'warn|^skipped ' stderr stdout && warned=yes
    clear=no
    if grep -qE '^error: .{12,}' stderr && ! grep -qE 'Exception|(^|: )null($|[ ;,)])|\bat [a-z]+\.[a-z]' stderr; then
        clear=yes
    fi
    crash=no
    if compgen -G "$dir/hs_err_pid*.log" > /dev/null || [ $rc -eq 134 ] || [ $rc -eq 139 ]; then
        crash=yes
    fi
    if [ $crash = yes ]; then outcome=CRASH
    elif [ $rc -eq 124 ] || [ $rc -eq 137 ]; then outcome=HANG
    elif [ $rc -eq 1 ]; then outcome=EXIT-1
    elif [ $rc -ne 0 ] && [ $rc -ne 7 ] && [ $clear = no ]; then outcome=UNCLEAR
    else
        outcome=OK
        case $expect in
            refuse) [ $rc -eq 0 ] && outcome=ACCEPTED ;;
            refuse-or-warn) [ $rc -eq 0 ] && [ $warned = no ] && outcome=SILENT-ACCEPT ;;
            code:*) [[ ",${expect#code:}," == *",$rc,"* ]] || outcome=WRONG-CODE ;;
        esac
    fi
    # Outputs are not kept: a successful run's pictures would fill the disk over hundreds of runs.
    find "$dir" -mindepth 1 -maxdepth 1 ! -name stdout ! -name stderr ! -name 'hs_err*' -exec rm -rf {} +
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$category" "$expect" "$outcome" "$rc" "$seconds" "$crash" \
        "${message//$'\t'/ }" "${args[*]}"
    exit 0
fi

export WORK=${1:-$(mktemp -d "${TMPDIR:-/tmp}/xai4j-trial.XXXXXX")}
export TRIAL_TIMEOUT=${TRIAL_TIMEOUT:-300}
# C1 only: these runs are short, and it halves their CPU time. Set TRIAL_JAVA_OPTS= (empty) for the default JIT.
export TRIAL_JAVA_OPTS=${TRIAL_JAVA_OPTS--XX:TieredStopAtLevel=1}
jobs=${TRIAL_JOBS:-2}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
if [ ! -f "$JAR" ]; then
    echo "building the command line (mvn package, tests skipped)..." >&2
    (cd "$repo" && mvn -B -q -DskipTests -pl cli -am package) || exit 1
fi
export XAI4J_CACHE_DIR="$WORK/cache"

# Fixtures: the hostile files, a valid model, image and tensor, and awkward paths.
F="$WORK/files"
if [ ! -d "$F/onnx" ]; then
    echo "writing hostile files to $F" >&2
    nice java -cp "$JAR" "$here/HostileFiles.java" "$F" || exit 1
fi
V="$WORK/valid"
mkdir -p "$V/folder" "$V/empty-folder" "$V/stems/a" "$V/stems/b" "$V/plugins-bad" "$V/plugins-empty" "$V/masks-bad" \
    "$V/mixed-folder"
M="$V/model.onnx" S="$V/sample.png" N="$V/input.npy" J="$V/sample.jpg"
cp "$F/onnx/valid.onnx" "$M"; cp "$F/image/valid.png" "$S"; cp "$F/npy/valid.npy" "$N"; cp "$F/image/valid.jpg" "$J"
cp "$S" "$V/with space.png"; cp "$S" "$V/ünïcødé ✓.png"; cp "$N" "$V/with space.npy"
cp "$S" "$V/folder/a.png"; cp "$S" "$V/stems/a/img.png"; cp "$S" "$V/stems/b/img.png"
cp "$S" "$V/mixed-folder/good.png"; cp "$F/image/truncated-50.png" "$F/npy/truncated-data.npy" "$V/mixed-folder/"
ln -sf /dev/zero "$V/dev-zero.npy"; ln -sf /dev/zero "$V/dev-zero.png"; ln -sf /dev/zero "$V/dev-zero.onnx"
ln -sf /dev/zero "$V/dev-zero.txt"; ln -sf /dev/zero "$V/dev-zero.json"
ln -sf "$V/no-such-target" "$V/dangling-link.npy"
[ -p "$V/fifo.npy" ] || mkfifo "$V/fifo.npy"
[ -p "$V/fifo.png" ] || mkfifo "$V/fifo.png"
[ -p "$V/out-fifo.onnx" ] || mkfifo "$V/out-fifo.onnx"
[ -p "$V/fifo.onnx" ] || mkfifo "$V/fifo.onnx"
cp "$N" "$V/unreadable.npy"; chmod 000 "$V/unreadable.npy"
cp "$S" "$V/unreadable.png"; chmod 000 "$V/unreadable.png"
: > "$V/empty.txt"; : > "$V/plugins-bad/empty.jar"; head -c 3000 "$JAR" > "$V/plugins-bad/truncated.jar"
printf '{not json' > "$V/bad.json"; printf '{"0": 7, "x": [1]}' > "$V/odd-labels.json"
printf '{"sample.png": [{"box": [-5, 1e9, "a"]}]}' > "$V/bad-boxes.json"
cp "$F/image/truncated-50.png" "$V/masks-bad/sample.png"
mkdir -p "$V/unwritable"; chmod 555 "$V/unwritable"
: > "$V/a-file"
long=$(printf 'x%.0s' $(seq 300))
root=$([ "$(id -u)" = 0 ] && echo yes || echo no)

cases="$WORK/cases"
: > "$cases"
n=0
emit() {  # emit CATEGORY EXPECT ARG...
    n=$((n + 1))
    local line
    line=$(printf "%04d$SEP%s$SEP%s" "$n" "$1" "$2")
    shift 2
    for a in "$@"; do line+="$SEP$a"; done
    printf '%s\n' "$line" >> "$cases"
}

# Values by kind; "refuse:" marks values that must be refused, the others must end cleanly either way.
values() {
    case $1 in
        int) printf '%s\n' -1 0 2147483648 999999999 NaN '' abc ;;
        real) printf '%s\n' -1 0 1e308 NaN Infinity '' abc ;;
        duration) printf '%s\n' -1s 0s NaN '' 1e30h 1ms ;;
        infile) printf '%s\n' "refuse:" "refuse:$V/missing" "refuse:$V/folder" "refuse:$V/dev-zero.$2" \
            "refuse:$V/fifo.$2" "refuse:$V/dangling-link.$2" "refuse:$V/$long.$2" "refuse:$V/empty.txt" ;;
        outdir) printf '%s\n' "refuse:" "refuse:$V/a-file" "refuse:$V/a-file/sub" "refuse:/proc/xai4j-out" \
            "refuse:$V/$long" "$V/out with space/ünïcødé ✓" ;;
        outfile) printf '%s\n' "refuse:" "refuse:$V/folder" "refuse:$V/a-file/sub.onnx" "refuse:$V/out-fifo.onnx" \
            "refuse:$V/$long.onnx" "refuse:/proc/x.onnx" "$V/out with space/ünïcødé ✓.onnx" ;;
        text) printf '%s\n' '' ',' ' ' "$long" 'ünïcødé ✓' '-1' ;;
        enum) printf '%s\n' 'refuse:' 'refuse:nosuch' 'refuse:,' ;;
        names) printf '%s\n' 'refuse:' 'refuse:,' 'refuse:nosuch' 'refuse:saliency,,grad-cam' "refuse:$long" ;;
        tensors) printf '%s\n' 'refuse:' 'refuse:,' 'refuse:nosuch' "refuse:$long" 'image,image' ;;
        shape) printf '%s\n' 'refuse:image=1,3,-1,64' 'refuse:image=1,3,100000,100000' 'refuse:image=1,3,0,64' \
            'refuse:image=' 'refuse:=1,2' 'refuse:image=a,b' 'refuse:image=1,3,99999999999,64' \
            'refuse:nosuch=1,3,64,64' 'refuse:image=1,3,64,64,64' 'refuse:noequals' ;;
        target) printf '%s\n' 'refuse:' 'refuse:,' 'refuse:top:0' 'refuse:top:-1' 'top:999999' 'refuse:99' 'refuse:-1' \
            'refuse:logits[' 'refuse:logits[0:99999999999,3]' 'refuse:nosuch:3' 'refuse:;;;' 'refuse:matrix:3' \
            'refuse:top:2147483648' "refuse:$long" ;;
        param) printf '%s\n' 'refuse:steps=-1' 'refuse:steps=0' 'refuse:steps=99999999999' 'refuse:steps=NaN' \
            'refuse:=' 'refuse:noequals' "refuse:baseline=$V/dev-zero.npy" "refuse:baseline=$V/folder" \
            'refuse:baseline=NaN' 'refuse:nosuch=1' 'refuse:saliency.steps=3' "refuse:steps=$long" ;;
        preprocess) printf '%s\n' 'refuse:' 'refuse:size=-1' 'refuse:size=0' 'size=100000' 'refuse:scale=NaN' \
            'refuse:mean=1:2' 'refuse:std=0:0:0' 'refuse:layout=nhwc' 'refuse:order=xyz' 'refuse:garbage' ;;
        labels) printf '%s\n' "refuse:$V/missing" "refuse:$V/folder" "$V/empty.txt" "refuse:$V/dev-zero.txt" \
            "refuse:$V/bad.json" "refuse:$V/odd-labels.json" "refuse:" "$F/image/valid.png" ;;
        device) printf '%s\n' 'refuse:' 'refuse:cuda' 'refuse:cuda:-1' 'refuse:cuda:99999999999' 'refuse:tpu' \
            'refuse:cpu:1' ;;
        plugins) printf '%s\n' "refuse:$V/missing" "refuse:$V/a-file" "$V/plugins-empty" "refuse-or-warn:$V/plugins-bad" \
            "refuse:" ;;
        feed) printf '%s\n' "refuse:image=$N" "refuse:nosuch=$N" 'refuse:=' 'refuse:noequals' ;;
        gradinput) printf '%s\n' "refuse:image=$V/missing" "refuse:nosuch=$N" "refuse:image=$V/dev-zero.npy" \
            "refuse:image=$F/npy/nan-value.npy" "refuse:image=$F/npy/huge-dims.npy" "refuse:$V/fifo.npy" \
            "refuse:image=" "refuse:image=$S" ;;
        boxes) printf '%s\n' "refuse:$V/missing" "refuse:$V/folder" "refuse:$V/bad.json" "refuse:$V/dev-zero.json" \
            "refuse:$V/bad-boxes.json" ;;
        masks) printf '%s\n' "refuse:$V/missing" "refuse:$V/a-file" "$V/empty-folder" "refuse-or-warn:$V/masks-bad" ;;
        metricparam) printf '%s\n' 'refuse:nosuch=1' 'refuse:=' 'refuse:deletion.steps=-1' 'refuse:deletion.steps=NaN' ;;
        input) printf '%s\n' "refuse:" "refuse:$V/missing" "refuse:$V/empty-folder" "refuse:$V/dev-zero.npy" \
            "refuse:$V/dev-zero.png" "refuse:$V/fifo.npy" "refuse:$V/fifo.png" "refuse:$V/$long.png" \
            "$V/with space.png" "$V/ünïcødé ✓.png" "refuse:$V/empty.txt" "refuse-or-warn:$V/mixed-folder" ;;
    esac
}

# sweep COMMAND OPTION KIND [KIND_ARG] -- BASE_ARGS...: one case per value, the option replacing any in the base.
sweep() {
    local cmd=$1 opt=$2 kind=$3 kindarg=$4
    shift 5
    local base=() skip=no a
    for a in "$@"; do
        if [ $skip = yes ]; then skip=no; continue; fi
        if [ "$a" = "$opt" ]; then skip=yes; continue; fi
        base+=("$a")
    done
    local v expect
    while IFS= read -r v; do
        expect=clean
        case $v in
            refuse-or-warn:*) expect=refuse-or-warn; v=${v#refuse-or-warn:} ;;
            refuse:*) expect=refuse; v=${v#refuse:} ;;
        esac
        emit "argument $cmd $opt" "$expect" "$cmd" "${base[@]}" "$opt" "$v"
    done < <(values "$kind" "$kindarg")
}

explain=(--model "$M" --input "$S" --method saliency --out out)
sweep explain --model infile onnx -- "${explain[@]}"
sweep explain --input input "" -- "${explain[@]}"
sweep explain --feed feed "" -- "${explain[@]}"
sweep explain --method names "" -- "${explain[@]}"
sweep explain --target target "" -- "${explain[@]}"
sweep explain --layer tensors "" -- "${explain[@]/saliency/grad-cam}"
sweep explain --param param "" -- "${explain[@]/saliency/integrated-gradients}"
sweep explain --preprocess preprocess "" -- "${explain[@]}"
sweep explain --labels labels "" -- "${explain[@]}"
sweep explain --device device "" -- "${explain[@]}"
sweep explain --out outdir "" -- "${explain[@]}"
sweep explain --sign enum "" -- "${explain[@]}"
sweep explain --channels enum "" -- "${explain[@]}"
sweep explain --colormap enum "" -- "${explain[@]}"
sweep explain --outlier-perc real "" -- "${explain[@]}"
sweep explain --image-weight real "" -- "${explain[@]}"
sweep explain --batch-size int "" -- "${explain[@]}"
sweep explain --seed int "" -- "${explain[@]}"
sweep explain --rules enum "" -- "${explain[@]}"
sweep explain --timeout duration "" -- "${explain[@]}"
sweep explain --plugins plugins "" -- "${explain[@]}"
sweep explain --max-pixels int "" -- "${explain[@]}"
emit "argument explain --max-pixels" refuse explain "${explain[@]}" --max-pixels 100

compare=(--model "$M" --input "$S" --method saliency --out out)
sweep compare --model infile onnx -- "${compare[@]}"
sweep compare --input input "" -- "${compare[@]}"
sweep compare --method names "" -- "${compare[@]}"
sweep compare --out outdir "" -- "${compare[@]}"
sweep compare --cell-width int "" -- "${compare[@]}"
sweep compare --timeout duration "" -- "${compare[@]}"
for opt in --target --param --preprocess --labels; do
    sweep compare $opt text "" -- "${compare[@]}"
done

evaluate=(--model "$M" --input "$S" --method saliency --metric deletion --out out)
sweep evaluate --input input "" -- "${evaluate[@]}"
sweep evaluate --metric names "" -- "${evaluate[@]}"
sweep evaluate --metric-param metricparam "" -- "${evaluate[@]}"
sweep evaluate --boxes boxes "" -- "${evaluate[@]/deletion/pointing-game}"
sweep evaluate --masks masks "" -- "${evaluate[@]/deletion/pointing-game}"
sweep evaluate --batch-size int "" -- "${evaluate[@]}"
sweep evaluate --out outdir "" -- "${evaluate[@]}"

sweep inspect --model infile onnx -- --model "$M"
sweep inspect --shape shape "" -- --model "$M"
sweep methods --plugins plugins "" --
sweep plugins --plugins plugins "" --

exportg=(--model "$M" --wrt image --out out.onnx)
sweep export-gradients --model infile onnx -- "${exportg[@]}"
sweep export-gradients --wrt tensors "" -- "${exportg[@]}"
sweep export-gradients --feed tensors "" -- "${exportg[@]}"
sweep export-gradients --activations tensors "" -- "${exportg[@]}"
sweep export-gradients --output tensors "" -- "${exportg[@]}"
sweep export-gradients --rules enum "" -- "${exportg[@]}"
sweep export-gradients --shape shape "" -- "${exportg[@]}"
sweep export-gradients --out outfile "" -- "${exportg[@]}"

exporte=(--model "$M" --method saliency --out out.onnx)
sweep export-explainer --model infile onnx -- "${exporte[@]}"
sweep export-explainer --method names "" -- "${exporte[@]}"
sweep export-explainer --param param "" -- "${exporte[@]/saliency/integrated-gradients}"
sweep export-explainer --layer tensors "" -- "${exporte[@]/saliency/grad-cam}"
sweep export-explainer --seed int "" -- "${exporte[@]}"
sweep export-explainer --out outfile "" -- "${exporte[@]}"

gradcheck=(--model "$M" --directions 2)
sweep gradcheck --model infile onnx -- "${gradcheck[@]}"
sweep gradcheck --input gradinput "" -- "${gradcheck[@]}"
sweep gradcheck --wrt tensors "" -- "${gradcheck[@]}"
sweep gradcheck --output tensors "" -- "${gradcheck[@]}"
sweep gradcheck --directions int "" -- "${gradcheck[@]}"
sweep gradcheck --epsilon real "" -- "${gradcheck[@]}"
sweep gradcheck --tolerance real "" -- "${gradcheck[@]}"

# Hostile files: a valid file, a bit flip or a damage that the format cannot show may be accepted; any other
# damaged file must be refused, or accepted with a warning.
hostile_expect() {
    case $(basename "$1") in
        valid.*|with*|near-limit*|large-*|huge-values*|v3-unicode*|batch-1000*|png-as-jpg*) echo clean ;;
        bitflip-*) echo clean ;;
        *) echo refuse-or-warn ;;
    esac
}
for file in "$F"/image/*; do
    emit "hostile image" "$(hostile_expect "$file")" explain --model "$M" --input "$file" --method saliency --out out
done
for file in "$F"/npy/*; do
    emit "hostile npy" "$(hostile_expect "$file")" explain --model "$M" --input "$file" --method saliency --out out
done
for file in "$F"/onnx/*; do
    emit "hostile onnx" "$(hostile_expect "$file")" inspect --model "$file"
    case $(basename "$file") in
        bitflip-*) ;;
        *) emit "hostile onnx" "$(hostile_expect "$file")" explain --model "$file" --input "$S" --method saliency --out out
           ;;
    esac
done
for name in cycle self-loop missing-initializer dangling-input no-outputs huge-dims int-overflow-dims unknown-op; do
    emit "hostile onnx" refuse-or-warn export-gradients --model "$F/onnx/$name.onnx" --wrt image --out out.onnx
done
for file in "$F"/npy/*-dims.npy "$F"/npy/truncated-*.npy "$F"/npy/nan-value.npy "$F"/npy/zero-batch.npy; do
    emit "hostile npy" "$(hostile_expect "$file")" gradcheck --model "$M" --input "image=$file" --directions 2
done
emit "hostile image" refuse-or-warn compare --model "$M" --input "$F/image/truncated-50.jpg" --method saliency --out out
emit "hostile image" refuse-or-warn evaluate --model "$M" --input "$F/image/bomb-20000x20000.png" --method saliency \
    --metric deletion --out out

if [ -n "${TRIAL_ONLY:-}" ]; then
    awk -F"$SEP" -v re="$TRIAL_ONLY" '$1 ~ re || $2 ~ re' "$cases" > "$cases.only" && mv "$cases.only" "$cases"
fi
total=$(wc -l < "$cases")
if [ -n "${TRIAL_LIST:-}" ]; then tr "$SEP" " " < "$cases"; exit 0; fi
echo "running $total cases, $jobs at a time, at most ${TRIAL_TIMEOUT}s each; work folder $WORK" >&2
results="$WORK/results.tsv"
start=$(date +%s)
tr '\n' '\0' < "$cases" | xargs -0 -P "$jobs" -n 1 "$0" --one | sort > "$results"
elapsed=$(( $(date +%s) - start ))

# Checks that read outputs: files of inputs with the same stem, and a corrupted cache entry.
checks="$WORK/checks.tsv"
: > "$checks"
check() {  # check NAME RESULT DETAIL
    printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$checks"
}
stems="$WORK/checks/stems"
rm -rf "$stems"; mkdir -p "$stems"
nice java -cp "$JAR" io.xai4j.cli.Main explain --model "$M" --input "$V/stems/a/img.png" --input "$V/stems/b/img.png" \
    --method saliency --out "$stems" > /dev/null 2>&1
sets=$(find "$stems" -name explanation.json | wc -l)
check "same stem, two inputs" "$([ "$sets" = 2 ] && echo OK || echo LOST)" "$sets explanation sets for 2 inputs"
cache="$WORK/checks/cache"
rm -rf "$cache"; mkdir -p "$cache"
XAI4J_CACHE_DIR="$cache" nice java -cp "$JAR" io.xai4j.cli.Main explain --model "$M" --input "$S" --method saliency \
    --out "$cache/out1" > /dev/null 2>&1
entry=$(find "$cache" -type f -size +1k ! -path '*/out1/*' | head -1)
if [ -n "$entry" ]; then
    size=$(stat -c %s "$entry")
    printf '\x55' | dd of="$entry" bs=1 seek=$((size / 2)) conv=notrunc status=none
    XAI4J_CACHE_DIR="$cache" nice java -cp "$JAR" io.xai4j.cli.Main explain --model "$M" --input "$S" \
        --method saliency --out "$cache/out2" > /dev/null 2> "$cache/stderr"
    rc=$?
    check "corrupted cache entry" "$([ $rc = 0 ] && grep -qi warn "$cache/stderr" && echo OK || echo SILENT)" \
        "exit $rc; $(grep -m1 -i warn "$cache/stderr" | cut -c1-200)"
else
    check "corrupted cache entry" NOT-RUN "no cache entry was written"
fi

# Kills during a write-heavy run (top:5 on a large image): each class folder holds a whole set or nothing, and
# the next run leaves no hidden temporary behind.
kills="$WORK/checks/kills"
rm -rf "$kills"; mkdir -p "$kills"
mixed=0 stale=0
for delay in 2.5 3 3.5 4 4.5 5; do
    nice java ${TRIAL_JAVA_OPTS:-} -cp "$JAR" io.xai4j.cli.Main explain --model "$M" --input "$F/image/large-3000x3000.png" \
        --method saliency,grad-cam --target top:5 --out "$kills/out" > /dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -KILL $pid 2> /dev/null
    wait $pid 2> /dev/null
    while IFS= read -r d; do
        count=$(find "$d" -maxdepth 1 -type f \( -name attribution.npy -o -name heatmap.png -o -name explanation.json \) \
            | wc -l)
        [ "$count" = 0 ] || [ "$count" = 3 ] || mixed=$((mixed + 1))
    done < <(find "$kills/out" -mindepth 1 -type d ! -name '.*' ! -path '*/.*' 2> /dev/null)
done
nice java ${TRIAL_JAVA_OPTS:-} -cp "$JAR" io.xai4j.cli.Main explain --model "$M" --input "$F/image/large-3000x3000.png" \
    --method saliency,grad-cam --target top:5 --out "$kills/out" > /dev/null 2>&1
stale=$(find "$kills/out" -name '*.tmp' | wc -l)
check "6 kills during writes, then a whole run" "$([ $mixed = 0 ] && [ $stale = 0 ] && echo OK || echo MIXED)" \
    "$mixed partial sets seen after kills, $stale temporaries left after the next run"

# The Java API: threads sharing a model, a model closed while threads explain, leaks over cycles.
nice java -XX:ErrorFile="$WORK/checks/hs_err_api_pid%p.log" -cp "$JAR" "$here/ApiTrial.java" "$M" "$S" \
    "${TRIAL_CLOSE_ROUNDS:-20}" "${TRIAL_CYCLES:-300}" > "$WORK/checks/api.txt" 2> "$WORK/checks/api-stderr.txt"
rc=$?
while IFS= read -r line; do
    check "api: ${line:5}" "${line%% *}" ""
done < <(grep -E '^(OK|FAIL) ' "$WORK/checks/api.txt")
if [ $rc != 0 ] && [ $rc != 1 ] || compgen -G "$WORK/checks/hs_err_api_pid*.log" > /dev/null; then
    check "api trial" CRASH "exit $rc"
fi

# Summary.
summary="$WORK/summary.md"
{
    echo "# Trial results"
    echo
    echo "$total runs in ${elapsed}s ($jobs at a time), $(date -u +%Y-%m-%dT%H:%MZ)."
    [ $root = yes ] && echo "Run as root: unreadable files are readable, so those cases test nothing."
    echo
    echo "| category | runs | OK | failures |"
    echo "|---|---:|---:|---|"
    awk -F'\t' '{ c = $2; sub(/^argument [a-z-]+ .*/, "arguments " $2, c); cat[$2]++; if ($4 == "OK") ok[$2]++;
                  else bad[$2] = bad[$2] " " $4 }
        END { for (k in cat) printf "| %s | %d | %d |%s |\n", k, cat[k], ok[k], bad[k] }' "$results" | sort
    echo
    echo "Outcomes: $(cut -f4 "$results" | sort | uniq -c | awk '{printf "%s %s, ", $2, $1}' | sed 's/, $//')"
    echo
    echo "## Failures"
    echo
    awk -F'\t' '$4 != "OK" { printf "- %s `%s` (exit %s, %ss): %s\n", $4, $9, $5, $6, $8 }' "$results" \
        | sed "s|$WORK|WORK|g"
    echo
    echo "## Checks"
    echo
    awk -F'\t' '{ printf "- %s: %s (%s)\n", $1, $2, $3 }' "$checks" | sed "s|$WORK|WORK|g"
    echo
    echo "## Slowest runs"
    echo
    sort -t$'\t' -k6 -g -r "$results" | head -5 | awk -F'\t' '{ printf "- %ss exit %s `%s`\n", $6, $5, $9 }' \
        | sed "s|$WORK|WORK|g"
} > "$summary"
cat "$summary"
failures=$(awk -F'\t' '$4 != "OK"' "$results" | wc -l)
failed_checks=$(awk -F'\t' '$2 != "OK"' "$checks" | wc -l)
[ "$failures" = 0 ] && [ "$failed_checks" = 0 ]
