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
res = {i: {"V": set(), "M": set()} for i in range(1, len(cases)+1)}
other = set()
for l in open("build.log"):
    m = re.search(r"Corpus\.cs\((\d+),(\d+)\): warning (\w+):", l)
    if not m: continue
    line, col, id_ = int(m.group(1)), int(m.group(2)), m.group(3)
    c = case_of(line)
    if id_.startswith("VSTHRD"): res[c]["V"].add(id_)
    elif id_ == "MODE002": res[c]["M"].add(id_)
    else: other.add(id_)
print("| # | case (code inside a hook) | VSTHRD result | MODE002 result |")
print("|---|---|---|---|")
for i, d in enumerate(cases, 1):
    v = ", ".join(sorted(res[i]["V"])) or "—"
    mm = "MODE002" if res[i]["M"] else "—"
    print(f"| {i} | {d} | {v} | {mm} |")
print("other ids:", other)
