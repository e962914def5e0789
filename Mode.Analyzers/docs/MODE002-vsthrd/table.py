# Maps `dotnet build` warnings (build.log) back to the cases of Corpus.cs and prints the comparison
# table and the recall / false-positive summary per analyzer, side by side.
import re, json
cases = json.load(open("cases.json"))
starts = []
for n, line in enumerate(open("Corpus.cs").read().split("\n"), 1):
    m = re.match(r"// CASE (\d+):", line)
    if m: starts.append((n, int(m.group(1))))
def case_of(line):
    c = None
    for n, i in starts:
        if n <= line: c = i
    return c
# Counted: the rules about blocking and async void of each analyzer.
families = {"VSTHRD": ("VSTHRD002", "VSTHRD100", "VSTHRD101", "VSTHRD103"),
            "AsyncFixer": ("AsyncFixer02", "AsyncFixer03"),
            "Mode": ("MODE002", "MODE007")}
res = {i: {f: set() for f in families} for i in range(1, len(cases) + 1)}
other = set()
seen = set()
for l in open("build.log"):
    m = re.search(r"Corpus\.cs\((\d+),(\d+)\): warning (\w+):", l)
    if not m or m.group(0) in seen: continue
    seen.add(m.group(0))
    line, id_ = int(m.group(1)), m.group(3)
    for f, ids in families.items():
        if id_ in ids: res[case_of(line)][f].add(id_); break
    else: other.add(id_)
print("| # | case (code inside a hook) | blocks? | VSTHRD | AsyncFixer | Mode |")
print("|---|---|---|---|---|---|")
for i, (desc, blocks) in enumerate(cases, 1):
    cols = [", ".join(sorted(res[i][f])) or "—" for f in families]
    print(f"| {i} | {desc} | {'yes' if blocks else 'no'} | " + " | ".join(cols) + " |")
print()
nb = sum(1 for _, b in cases if b); nc = len(cases) - nb
print("| analyzer | blocking cases found (recall) | false positives on cases that cannot block |")
print("|---|---|---|")
for f in families:
    found = sum(1 for i, (_, b) in enumerate(cases, 1) if b and res[i][f])
    fp = sum(1 for i, (_, b) in enumerate(cases, 1) if not b and res[i][f])
    print(f"| {f} | {found}/{nb} ({100 * found / nb:.0f}%) | {fp}/{nc} |")
print("other ids:", sorted(other))
