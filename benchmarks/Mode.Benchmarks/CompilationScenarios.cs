using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using static Mode.Benchmarks.Measure;

namespace Mode.Benchmarks;

/// <summary>
/// The cost of the Mode generator and analyzers on a compilation of N annotated services, against
/// the same compilation without them, measured two ways: in-process (<see cref="CSharpGeneratorDriver"/>,
/// <see cref="CompilationWithAnalyzers"/>, <c>Emit</c>, one after the other: the CPU work, split) and
/// as a real build (the SDK's csc.dll as a process: the wall time); then whether an unrelated edit
/// re-runs any of the generator's work, and whether the generator's time grows linearly with N.
/// </summary>
/// <remarks>
/// The generator and the analyzers are loaded from the built <c>Mode.Generators.dll</c> and
/// <c>Mode.Analyzers.dll</c> the way the compiler loads them (<see cref="AnalyzerFileReference"/>),
/// and csc is given the same two files, so the scenario measures whatever those projects contain,
/// with no code change here. Set <c>MODE_BENCH_TOOLING_DIR</c> to a folder holding other builds of
/// the two DLLs to measure those. The generator driver runs without step tracking, as csc and the IDE
/// run it: tracking is a test-only feature whose bookkeeping grows faster than linearly with the
/// number of items in a collected step, so it is used only for the step-level check at small N.
/// </remarks>
internal static class CompilationScenarios
{
    /// <summary>The largest N at which the step-tracked incremental check runs (its cost is super-linear).</summary>
    private const int TrackedCheckMaxServices = 1_000;

    /// <summary>Runs the scenario at each of the run's compilation sizes.</summary>
    /// <returns>Per N: the in-process row, the real build row, the incremental row(s); then the linearity row.</returns>
    public static async Task<IEnumerable<Row>> RunAsync(RunOptions options)
    {
        var tooling = Tooling.Load();
        var rows = new List<Row>();
        if (!tooling.Available && options.Mode != "full")
        {
            // Nothing to compare yet: only the full run measures the compilation without them.
            return [NotAvailable("—", "not measured in a " + options.Mode + " run", tooling)];
        }

        var references = References();
        // Warm-up: the first compilation in a process also compiles the compiler (and the tooling).
        var warmUp = Sources(100);
        Emit(Compile(warmUp, references));
        if (tooling.Available)
        {
            await CompileWithToolingAsync(tooling, warmUp, references).ConfigureAwait(false);
        }

        var csc = !tooling.Available ? CscBuild.Skipped("the generator and analyzers are not built")
            : options.Mode == "smoke" ? CscBuild.Skipped("not run in a smoke run (--quick and the full run measure it)")
            : CscBuild.Find();
        var scratch = Path.Combine(Path.GetTempPath(), $"mode-bench-csc-{Environment.ProcessId}");
        try
        {
            if (csc.Missing is null)
            {
                // Warm-up, once: the page cache holds csc, the reference pack and the tooling afterwards.
                var rsp = csc.WriteProject(Path.Combine(scratch, "warm-up"), warmUp);
                await csc.RunAsync(rsp, "/out:without.dll").ConfigureAwait(false);
                await csc.RunAsync(rsp, [.. tooling.AnalyzerArguments, "/out:with.dll"]).ConfigureAwait(false);
            }

            var generatorTimes = new List<(int N, double Ms, double CscSeconds)>();
            foreach (var n in options.CompilationSizes)
            {
                var trees = Sources(n);
                var (inProcess, generatorMs, driver, input) = await InProcessAsync(options, tooling, trees, references, n).ConfigureAwait(false);
                rows.Add(inProcess);
                if (!tooling.Available)
                {
                    continue;
                }

                // The generator's output as plain sources: the same program with its wiring written by hand.
                var wiring = driver!.GetRunResult().GeneratedTrees
                    .Select(static t => CSharpSyntaxTree.ParseText(t.GetText(), (CSharpParseOptions)t.Options, path: Path.GetFileName(t.FilePath)))
                    .ToArray();
                var (realBuilds, cscGeneratorSeconds) = await RealBuildAsync(options, csc, tooling, trees, wiring, Path.Combine(scratch, n.ToString(CultureInfo.InvariantCulture)), n).ConfigureAwait(false);
                rows.AddRange(realBuilds);
                generatorTimes.Add((n, generatorMs, cscGeneratorSeconds));
                rows.Add(CachingRow(driver!, input!, n));
                if (n <= TrackedCheckMaxServices)
                {
                    rows.Add(TrackedCachingRow(tooling, input!, n));
                }
            }

            if (generatorTimes.Count >= 2)
            {
                rows.Add(LinearityRow(generatorTimes.MinBy(static g => g.N), generatorTimes.MaxBy(static g => g.N)));
            }
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }

        return rows;
    }

    /// <summary>
    /// The in-process row: the compilation emitted without the tooling, against generator, analyzers and
    /// emit run one after the other on a fresh compilation (alternated, median).
    /// </summary>
    /// <returns>The row, the median time of the generator alone, and the last driver with its input compilation.</returns>
    private static async Task<(Row Row, double GeneratorMs, GeneratorDriver? Driver, Compilation? Input)> InProcessAsync(
        RunOptions options, Tooling tooling, SyntaxTree[] trees, MetadataReference[] references, int n)
    {
        var reps = options.Mode == "full" && n < 5_000 ? 2 : 1;
        var without = new List<double>();
        var with = new List<double>();
        var parts = new List<double[]>();
        // The generator's own time, for the linearity row: at least three samples in a full run, the
        // extra ones taken first, while no earlier compilation is alive to weigh on the GC.
        var generator = new List<double>();
        for (var extra = options.Mode == "full" && tooling.Available ? 3 - reps : 0; extra > 0; extra--)
        {
            Collect();
            generator.Add(RunGenerator(tooling, trees, references, track: false).Ms);
        }

        GeneratorDriver? lastDriver = null;
        Compilation? lastInput = null;
        for (var r = 0; r < reps; r++)
        {
            (lastDriver, lastInput) = (null, null);
            // Alternate which goes first, so that a change in the machine's load hits both alike.
            for (var k = 0; k < 2; k++)
            {
                Collect();
                if ((r + k) % 2 == 0)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    Emit(Compile(trees, references));
                    without.Add(ElapsedMs(t0, Stopwatch.GetTimestamp()));
                }
                else if (tooling.Available)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    var run = await CompileWithToolingAsync(tooling, trees, references).ConfigureAwait(false);
                    with.Add(ElapsedMs(t0, Stopwatch.GetTimestamp()));
                    parts.Add(run.PartsMs);
                    (lastDriver, lastInput) = (run.Driver, run.Input);
                    if (run.Diagnostics.FirstOrDefault(static d => d.Severity == DiagnosticSeverity.Error) is { } error)
                    {
                        throw new InvalidOperationException("The benchmark compilation has an error: " + error);
                    }
                }
            }
        }

        var wo = Median(without);
        if (!tooling.Available)
        {
            return (NotAvailable(Count(n), Ms(wo) + " (without)", tooling), double.NaN, null, null);
        }

        generator.AddRange(parts.Select(static p => p[0]));
        var w = Median(with);
        var row = new Row(
            "generator + analyzers on N annotated services: in-process CPU work, one step after another",
            Count(n),
            Ms(w),
            Ms(wo) + " (without)",
            "—",
            $"{Times(w / wo)} without; generator {Ms(Median(generator))}, analyzers {Ms(Median(parts.Select(static p => p[1])))}, emit {Ms(Median(parts.Select(static p => p[2])))} " +
            $"(step tracking off, as in csc and the IDE; csc runs analyzers alongside emit and shares their binding, so this sum is not a build's time); " +
            $"slowest analyzer: {tooling.SlowestAnalyzer}; {tooling.Description}",
            "— (the real build row carries ≤ 1.3×)",
            "—");
        return (row, Median(generator), lastDriver, lastInput);
    }

    /// <summary>
    /// The real build rows: csc on the same sources with and without <c>/analyzer:</c> for the two DLLs,
    /// and on the sources plus the generator's output as plain files (the wiring written by hand, no
    /// tooling), rotated, median; then once more with <c>/reportanalyzer</c> (not timed) for csc's own split.
    /// </summary>
    /// <returns>The rows, and the generator's execution time by csc's report (seconds; NaN if not run).</returns>
    private static async Task<(Row[] Rows, double CscGeneratorSeconds)> RealBuildAsync(
        RunOptions options, CscBuild csc, Tooling tooling, SyntaxTree[] trees, SyntaxTree[] wiring, string folder, int n)
    {
        const string Scenario = "generator + analyzers on N annotated services: real build (the SDK's csc.dll as a process, wall time)";
        const string HandWiredScenario = "generator + analyzers: real build against the same program with the generated wiring written by hand (the tools' own cost)";
        if (csc.Missing is not null)
        {
            return ([new Row(Scenario, Count(n), csc.IsSkipped ? "not run" : "not available", "—", "—", csc.Missing, "≤ 1.3× without", "n/a")], double.NaN);
        }

        var rsp = csc.WriteProject(folder, trees);
        var handWiredRsp = csc.WriteProject(folder + "-hand-wired", [.. trees, .. wiring]);
        var reps = options.Mode == "full" ? 3 : 1;
        var without = new List<double>();
        var with = new List<double>();
        var handWired = new List<double>();
        for (var r = 0; r < reps; r++)
        {
            // Rotate which goes first, so that a change in the machine's load hits all alike.
            for (var k = 0; k < 3; k++)
            {
                switch ((r + k) % 3)
                {
                    case 0:
                        without.Add((await csc.RunAsync(rsp, "/out:without.dll").ConfigureAwait(false)).WallMs);
                        break;
                    case 1:
                        with.Add((await csc.RunAsync(rsp, [.. tooling.AnalyzerArguments, "/out:with.dll"]).ConfigureAwait(false)).WallMs);
                        break;
                    default:
                        handWired.Add((await csc.RunAsync(handWiredRsp, "/out:hand-wired.dll").ConfigureAwait(false)).WallMs);
                        break;
                }
            }
        }

        var (_, report) = await csc.RunAsync(rsp, [.. tooling.AnalyzerArguments, "/reportanalyzer", "/out:report.dll"]).ConfigureAwait(false);
        var (generatorSeconds, analyzerSeconds) = CscBuild.ReadReport(report);
        var warnings = report.Split('\n').Count(static l => l.Contains(": warning ", StringComparison.Ordinal));
        Directory.Delete(folder, recursive: true);
        Directory.Delete(folder + "-hand-wired", recursive: true);
        var (w, wo, hw) = (Median(with), Median(without), Median(handWired));
        var ratio = w / wo;
        var toolsRatio = w / hw;
        Row[] rows = [new Row(
            Scenario,
            Count(n),
            Ms(w),
            Ms(wo) + " (without)",
            "—",
            $"{Times(ratio)} without; generator {Seconds(generatorSeconds)}, analyzers {Seconds(analyzerSeconds)} (csc's own report, /reportanalyzer); " +
            $"median of {reps}, alternated; {(warnings > 0 ? $"{warnings} warning(s) with the tooling; " : "")}{csc.Description}",
            "≤ 1.3× without (bar: the tools' own cost, next row)",
            YesNo(ratio <= 1.3, toolsRatio <= 1.3)),
            new Row(
                HandWiredScenario,
                Count(n),
                Ms(w),
                Ms(hw) + " (hand-wired)",
                "—",
                $"{Times(toolsRatio)} the hand-wired build (the wiring alone costs {Times(hw / wo)} the build without it); median of {reps}, rotated",
                "≤ 1.3× hand-wired",
                YesNo(toolsRatio <= 1.3))];
        return (rows, generatorSeconds);

        static string Seconds(double s) => double.IsNaN(s) ? "n/a" : s.ToString("0.000", CultureInfo.InvariantCulture) + " s";
    }

    private static Row NotAvailable(string n, string without, Tooling tooling) => new(
        "generator + analyzers on N annotated services (build time)",
        n,
        "not available yet",
        without,
        "—",
        tooling.Description,
        "≤ 1.3× without; an unrelated edit re-runs nothing",
        "n/a");

    /// <summary>
    /// Edits the unrelated file of the last measured compilation and runs its (untracked) generator
    /// driver again: every generated text must be the very object of the previous run, which the
    /// driver keeps only for outputs it took from its cache (a source output that runs again makes a
    /// new one). Then, as a self-check that the comparison can fail, one service's <c>[Timer]</c>
    /// interval changes: exactly that service's text must be new.
    /// </summary>
    private static Row CachingRow(GeneratorDriver driver, Compilation compilation, int n)
    {
        // The edit applies to the user's compilation (without the generated files), as in an IDE.
        var edited = ReplaceSource(compilation, "Unrelated.cs", static _ => UnrelatedSource(2));
        var before = driver.GetRunResult();
        var t0 = Stopwatch.GetTimestamp();
        driver = driver.RunGenerators(edited);
        var t1 = Stopwatch.GetTimestamp();
        var after = driver.GetRunResult();
        var (renewed, newTrees) = Regenerated(before, after);

        var probe = n / 2;
        var timerEdited = ReplaceSource(edited, $"Service{probe}.cs", static text => text.Replace("[Timer(1.5)]", "[Timer(2.5)]", StringComparison.Ordinal));
        var (probed, _) = Regenerated(after, driver.RunGenerators(timerEdited).GetRunResult());
        var selfCheck = probed.Count == 1 && probed[0] == $"Bench.Services.Service{probe}.Mode.g.cs";
        var generated = after.Results.Sum(static r => r.GeneratedSources.Length);
        return new Row(
            "generator after an unrelated edit (incremental, step tracking off as in csc and the IDE)",
            Count(n),
            $"{renewed.Count} of {generated} generated files regenerated",
            "—",
            "—",
            $"re-run took {Ms(ElapsedMs(t0, t1))}; {(renewed.Count == 0 ? "every generated text is the previous run's object" : "regenerated: " + string.Join(", ", renewed.Take(3)))} " +
            $"(yet the driver made a new SyntaxTree for {newTrees} of {after.GeneratedTrees.Length}, so tree identity cannot tell); " +
            $"self-check, Service{probe}'s [Timer] interval edited: {probed.Count} file(s) regenerated{(selfCheck ? " (its own), as expected" : " — expected exactly its own: the check is not reliable")}",
            "nothing regenerated",
            YesNo(renewed.Count == 0 && generated > 0 && selfCheck));
    }

    /// <summary>
    /// The step-level view of the same edit, with a fresh step-tracked driver: every generated output
    /// must be <c>Cached</c>/<c>Unchanged</c>; the named steps with new or modified outputs are listed.
    /// </summary>
    private static Row TrackedCachingRow(Tooling tooling, Compilation compilation, int n)
    {
        GeneratorDriver driver = CreateDriver(tooling, compilation, track: true);
        driver = driver.RunGenerators(compilation);
        var edited = ReplaceSource(compilation, "Unrelated.cs", static _ => UnrelatedSource(2));
        var t0 = Stopwatch.GetTimestamp();
        driver = driver.RunGenerators(edited);
        var t1 = Stopwatch.GetTimestamp();
        // What the generator emits (its output steps) must all come from the cache; the named
        // intermediate steps are listed when they did not, to say where the cache breaks.
        var result = driver.GetRunResult().Results;
        var outputs = result
            .SelectMany(static r => r.TrackedOutputSteps.Values.SelectMany(static s => s))
            .SelectMany(static s => s.Outputs)
            .ToArray();
        var rerun = outputs.Count(static o => o.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        var brokenSteps = result
            .SelectMany(static r => r.TrackedSteps)
            .Where(static kv => kv.Value.Any(static step => step.Outputs.Any(static o => o.Reason is IncrementalStepRunReason.New or IncrementalStepRunReason.Modified)))
            .Select(static kv => kv.Key)
            // Roslyn's own steps (the compilation, ForAttributeWithMetadataName's internals) change on any edit.
            .Where(static name => !name.StartsWith("Compilation", StringComparison.Ordinal) && name != "SyntaxTrees" &&
                                  !name.Contains("ForAttributeWithMetadataName", StringComparison.Ordinal))
            .Take(4);
        return new Row(
            "generator after an unrelated edit (incremental, step-tracked: a test-only Roslyn feature, super-linear in N, so N ≤ 1,000 only)",
            Count(n),
            $"{rerun} of {outputs.Length} generated outputs re-ran",
            "—",
            "—",
            $"steps with new/modified outputs: {string.Join(", ", brokenSteps.DefaultIfEmpty("none"))}; tracked re-run took {Ms(ElapsedMs(t0, t1))} (tracking's own cost, not a build's)",
            "nothing re-runs (all Cached/Unchanged)",
            YesNo(rerun == 0 && outputs.Length > 0));
    }

    /// <summary>The generator's time (untracked) at the largest N against the smallest: linear means the ratio of the Ns.</summary>
    private static Row LinearityRow((int N, double Ms, double CscSeconds) small, (int N, double Ms, double CscSeconds) large)
    {
        var nRatio = (double)large.N / small.N;
        var timeRatio = large.Ms / small.Ms;
        var cscRatio = large.CscSeconds / small.CscSeconds;
        return new Row(
            "generator alone (step tracking off), linearity: time at the largest N / at the smallest",
            $"{Count(large.N)} / {Count(small.N)}",
            Ms(large.Ms),
            Ms(small.Ms),
            "—",
            $"{Times(timeRatio)} the time for {Times(nRatio)} the services (in-process, median); csc's own report: {Times(cscRatio)}",
            $"≤ {Times(1.5 * nRatio)} (1.5 × the N ratio: linear; bar: the same for csc's own report)",
            YesNo(timeRatio <= 1.5 * nRatio, cscRatio <= 1.5 * nRatio));
    }

    /// <summary>
    /// The generated files of <paramref name="after"/> whose text is not the very object of <paramref name="before"/>
    /// (by hint name), and those that disappeared, plus how many of its syntax trees are new objects.
    /// </summary>
    private static (List<string> Renewed, int NewTrees) Regenerated(GeneratorDriverRunResult before, GeneratorDriverRunResult after)
    {
        var previous = before.Results.SelectMany(static r => r.GeneratedSources).ToDictionary(static s => s.HintName, StringComparer.Ordinal);
        var renewed = new List<string>();
        foreach (var source in after.Results.SelectMany(static r => r.GeneratedSources))
        {
            if (!previous.Remove(source.HintName, out var old) || !ReferenceEquals(old.SourceText, source.SourceText))
            {
                renewed.Add(source.HintName);
            }
        }

        renewed.AddRange(previous.Keys);
        var trees = new HashSet<SyntaxTree>(before.GeneratedTrees, ReferenceEqualityComparer.Instance);
        return (renewed, after.GeneratedTrees.Count(t => !trees.Contains(t)));
    }

    /// <summary>The compilation with the text of the source file named <paramref name="fileName"/> rewritten.</summary>
    private static Compilation ReplaceSource(Compilation compilation, string fileName, Func<string, string> rewrite)
    {
        var tree = compilation.SyntaxTrees.First(t => t.FilePath == fileName);
        return compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(
            Microsoft.CodeAnalysis.Text.SourceText.From(rewrite(tree.GetText().ToString()), Encoding.UTF8)));
    }

    private static CSharpGeneratorDriver CreateDriver(Tooling tooling, Compilation compilation, bool track) =>
        CSharpGeneratorDriver.Create(
            tooling.Generators,
            parseOptions: (CSharpParseOptions)compilation.SyntaxTrees.First().Options,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

    /// <summary>A fresh compilation of <paramref name="trees"/> through a fresh generator driver.</summary>
    /// <returns>The driver, the input and output compilations, the generator's diagnostics and the milliseconds it all took.</returns>
    private static (GeneratorDriver Driver, Compilation Input, Compilation Output, ImmutableArray<Diagnostic> Diagnostics, double Ms) RunGenerator(
        Tooling tooling, SyntaxTree[] trees, MetadataReference[] references, bool track)
    {
        var t0 = Stopwatch.GetTimestamp();
        var compilation = Compile(trees, references);
        GeneratorDriver driver = CreateDriver(tooling, compilation, track);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var updated, out var diagnostics);
        var t1 = Stopwatch.GetTimestamp();
        return (driver, compilation, updated, diagnostics, ElapsedMs(t0, t1));
    }

    /// <returns>The driver, the input and output compilations, the diagnostics, and the milliseconds
    /// spent in the generator (untracked), the analyzers and the emit.</returns>
    private static async Task<(GeneratorDriver Driver, Compilation Input, Compilation Output, ImmutableArray<Diagnostic> Diagnostics, double[] PartsMs)> CompileWithToolingAsync(
        Tooling tooling, SyntaxTree[] trees, MetadataReference[] references)
    {
        var (driver, compilation, updated, diagnostics, generatorMs) = RunGenerator(tooling, trees, references, track: false);
        var t1 = Stopwatch.GetTimestamp();
        if (!tooling.Analyzers.IsEmpty)
        {
            var withAnalyzers = updated.WithAnalyzers(
                tooling.Analyzers,
                new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: true));
            diagnostics = diagnostics.AddRange(await withAnalyzers.GetAnalyzerDiagnosticsAsync().ConfigureAwait(false));
            var slowest = TimeSpan.Zero;
            foreach (var analyzer in tooling.Analyzers)
            {
                var time = (await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).ConfigureAwait(false)).ExecutionTime;
                if (time > slowest)
                {
                    slowest = time;
                    tooling.SlowestAnalyzer = $"{analyzer.GetType().Name} {Ms(time.TotalMilliseconds)}";
                }
            }
        }

        var t2 = Stopwatch.GetTimestamp();
        Emit(updated);
        var t3 = Stopwatch.GetTimestamp();
        return (driver, compilation, updated, diagnostics, [generatorMs, ElapsedMs(t1, t2), ElapsedMs(t2, t3)]);
    }

    private static CSharpCompilation Compile(SyntaxTree[] trees, MetadataReference[] references) =>
        CSharpCompilation.Create(
            "Bench.Services",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));

    private static void Emit(Compilation compilation)
    {
        using var pe = new MemoryStream();
        var result = compilation.Emit(pe);
        if (!result.Success)
        {
            throw new InvalidOperationException("The benchmark compilation failed: " + result.Diagnostics.First(static d => d.Severity == DiagnosticSeverity.Error));
        }
    }

    private static MetadataReference[] References()
    {
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(static p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll");
        var mode = new[] { typeof(Service).Assembly.Location, typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location };
        return platform.Concat(mode).Distinct().Select(static p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
    }

    /// <summary>N partial services, one file each: a <c>[Task]</c>, a <c>[Timer]</c>, an async hook and <c>[DependsOn]</c> children (fan-out 10).</summary>
    private static SyntaxTree[] Sources(int n)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new List<SyntaxTree>(n + 1);
        for (var i = 0; i < n; i++)
        {
            var source = new StringBuilder();
            source.Append(CultureInfo.InvariantCulture, $$"""
                using System;
                using System.Threading;
                using System.Threading.Tasks;
                using Mode;

                namespace Bench.Services;

                public partial class Service{{i}} : Service
                {
                    private int _ticks;

                """);
            for (var c = (10 * i) + 1; c <= (10 * i) + 10 && c < n; c++)
            {
                source.Append(CultureInfo.InvariantCulture, $"    [DependsOn] private readonly Service{c} _child{c} = new();\n");
            }

            source.Append("""

                    public int Ticks => _ticks;

                    [Task]
                    private async Task RunAsync(CancellationToken cancellationToken)
                    {
                        while (await SleepAsync(TimeSpan.FromSeconds(1), cancellationToken))
                        {
                        }
                    }

                    [Timer(1.5)]
                    private void Tick() => _ticks++;

                    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
                    {
                        await Task.Delay(1, cancellationToken);
                    }
                }

                """);
            trees.Add(CSharpSyntaxTree.ParseText(source.ToString(), options, path: $"Service{i}.cs", encoding: Encoding.UTF8));
        }

        trees.Add(CSharpSyntaxTree.ParseText(UnrelatedSource(1), options, path: "Unrelated.cs", encoding: Encoding.UTF8));
        return [.. trees];
    }

    private static string UnrelatedSource(int value) =>
        $"namespace Bench;\n\npublic static class Unrelated\n{{\n    public const int Value = {value};\n}}\n";

    /// <summary>The generator and analyzers, loaded as the compiler loads them, and the <c>/analyzer:</c> arguments that give csc the same files.</summary>
    private sealed record Tooling(ImmutableArray<ISourceGenerator> Generators, ImmutableArray<DiagnosticAnalyzer> Analyzers, string[] AnalyzerArguments, string Description)
    {
        public bool Available => !Generators.IsEmpty && !Analyzers.IsEmpty;

        /// <summary>The analyzer that took longest in the last run, with its execution time (Roslyn's telemetry).</summary>
        public string SlowestAnalyzer { get; set; } = "n/a";

        public static Tooling Load()
        {
            var folder = Environment.GetEnvironmentVariable("MODE_BENCH_TOOLING_DIR") is { Length: > 0 } dir ? dir : AppContext.BaseDirectory;
            var loader = new IsolatedLoader();
            var generators = ImmutableArray<ISourceGenerator>.Empty;
            var analyzers = ImmutableArray<DiagnosticAnalyzer>.Empty;
            var arguments = new List<string>();
            foreach (var name in new[] { "Mode.Generators.dll", "Mode.Analyzers.dll" })
            {
                var path = Path.Combine(folder, name);
                if (!File.Exists(path))
                {
                    continue;
                }

                arguments.Add("/analyzer:" + path);
                var reference = new AnalyzerFileReference(path, loader);
                reference.AnalyzerLoadFailed += (_, e) => Console.Error.WriteLine($"  could not load {name}: {e.Message}");
                generators = generators.AddRange(reference.GetGenerators(LanguageNames.CSharp));
                analyzers = analyzers.AddRange(reference.GetAnalyzers(LanguageNames.CSharp));
            }

            var description = $"{generators.Length} generator(s), {analyzers.Length} analyzer(s) found";
            if (generators.IsEmpty || analyzers.IsEmpty)
            {
                description += " — Mode.Generators/Mode.Analyzers are not merged yet; this row fills in by itself once they are";
            }

            return new Tooling(generators, analyzers, [.. arguments], description);
        }
    }

    /// <summary>
    /// Loads each analyzer assembly into a context of its own (as the compiler does), so that a DLL
    /// given by <c>MODE_BENCH_TOOLING_DIR</c> is used even though the app already loaded its own
    /// copy; Roslyn itself resolves from the default context and is shared.
    /// </summary>
    private sealed class IsolatedLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) =>
            new AssemblyLoadContext("Mode.Benchmarks tooling: " + Path.GetFileName(fullPath)).LoadFromAssemblyPath(fullPath);
    }
}
