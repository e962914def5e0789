using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Mode.Benchmarks;

// One command runs every scenario and prints one markdown table (see docs/performance.md):
//   dotnet run -c Release --project benchmarks/Mode.Benchmarks            full run  (< 15 min)
//   dotnet run -c Release --project benchmarks/Mode.Benchmarks -- --quick quick run (< 2 min)
//   dotnet run -c Release --project benchmarks/Mode.Benchmarks -- --smoke smoke run (< 30 s)
// Other flags: --only <text> (scenarios whose name contains it), --no-aot, --micro (BenchmarkDotNet cases).
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine("usage: Mode.Benchmarks [--quick | --smoke] [--only <scenario text>] [--no-aot] [--micro]");
    return 0;
}

if (args.Contains("--micro"))
{
    Micro.Run(args);
    return 0;
}

#if DEBUG
Console.Error.WriteLine("warning: a Debug build; benchmark numbers mean nothing (use -c Release)");
#endif

var options = RunOptions.Parse(args);
var clock = Stopwatch.StartNew();
Console.Error.WriteLine($"Mode.Benchmarks: {options.Mode} run, N = {string.Join(" / ", options.Sizes)}, {options.Repeats} rounds (+{options.Warmups} warm-up), median");

var scenarios = new (string Name, Func<RunOptions, Task<IEnumerable<Row>>> Run)[]
{
    ("trivial tree", LifecycleScenarios.TrivialTreeAsync),
    ("task tree", LifecycleScenarios.TaskTreeAsync),
    ("stop latency", LifecycleScenarios.StopLatencyAsync),
    ("memory", MemoryScenarios.IdleMemoryAsync),
    ("tick allocation", MemoryScenarios.TickAllocationAsync),
    ("timer accuracy", TimerScenarios.AccuracyAsync),
    ("compilation", CompilationScenarios.RunAsync),
    ("aot", AotScenarios.RunAsync),
};

var rows = new List<Row>();
foreach (var (name, run) in scenarios)
{
    if (!options.Runs(name))
    {
        continue;
    }

    var started = clock.Elapsed;
    Console.Error.Write($"  {name}... ");
    try
    {
        rows.AddRange(await run(options).ConfigureAwait(false));
        Console.Error.WriteLine($"{(clock.Elapsed - started).TotalSeconds:0.0} s");
    }
    catch (Exception ex)
    {
        Console.Error.WriteLine("failed: " + ex);
        rows.Add(new Row(name, "", "error", "", "", "", "", ex.GetType().Name + ": " + ex.Message.ReplaceLineEndings(" ")));
    }
}

var table = new StringBuilder();
table.AppendLine("| scenario | N | Mode | bare | Generic Host | ratio | target | met? |");
table.AppendLine("|---|---:|---:|---:|---:|---|---|---|");
foreach (var r in rows)
{
    table.AppendLine(CultureInfo.InvariantCulture, $"| {r.Scenario} | {r.N} | {r.Mode} | {r.Bare} | {r.Host} | {r.Ratio} | {r.Target} | {r.Met} |");
}

Console.WriteLine();
Console.WriteLine(table.ToString().TrimEnd());
Console.WriteLine();
Console.WriteLine($"{options.Mode} run, {clock.Elapsed.TotalSeconds:0} s, {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}");
return 0;
