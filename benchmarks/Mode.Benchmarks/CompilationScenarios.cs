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
/// The cost of the Mode generator and analyzers on a compilation of N annotated services, driven
/// in-process (<see cref="CSharpGeneratorDriver"/>, <see cref="CompilationWithAnalyzers"/>), against
/// the same compilation without them; then whether an unrelated edit re-runs any generator step.
/// </summary>
/// <remarks>
/// The generator and the analyzers are loaded from the built <c>Mode.Generators.dll</c> and
/// <c>Mode.Analyzers.dll</c> the way the compiler loads them (<see cref="AnalyzerFileReference"/>),
/// so the scenario measures whatever those projects contain, with no code change here. Set
/// <c>MODE_BENCH_TOOLING_DIR</c> to a folder holding other builds of the two DLLs to measure those.
/// </remarks>
internal static class CompilationScenarios
{
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

        foreach (var n in options.CompilationSizes)
        {
            var reps = options.Mode == "full" && n < 5_000 ? 2 : 1;
            var trees = Sources(n);
            var without = new List<double>();
            var with = new List<double>();
            var parts = new List<double[]>();
            GeneratorDriver? lastDriver = null;
            Compilation? lastInput = null;
            for (var r = 0; r < reps; r++)
            {
                Collect();
                var t0 = Stopwatch.GetTimestamp();
                Emit(Compile(trees, references));
                var t1 = Stopwatch.GetTimestamp();
                Collect();
                var t2 = Stopwatch.GetTimestamp();
                var run = await CompileWithToolingAsync(tooling, trees, references).ConfigureAwait(false);
                var t3 = Stopwatch.GetTimestamp();
                without.Add(ElapsedMs(t0, t1));
                with.Add(ElapsedMs(t2, t3));
                parts.Add(run.PartsMs);
                (lastDriver, lastInput) = (run.Driver, run.Input);
                var driverDiagnostics = run.Diagnostics;

                if (driverDiagnostics.FirstOrDefault(static d => d.Severity == DiagnosticSeverity.Error) is { } error)
                {
                    throw new InvalidOperationException("The benchmark compilation has an error: " + error);
                }
            }

            var (w, wo) = (Median(with), Median(without));
            if (!tooling.Available)
            {
                rows.Add(NotAvailable(Count(n), Ms(wo) + " (without)", tooling));
                continue;
            }

            var ratio = w / wo;
            rows.Add(new Row(
                "generator + analyzers on N annotated services (build time)",
                Count(n),
                Ms(w),
                Ms(wo) + " (without)",
                "—",
                $"{Times(ratio)} without (generator {Ms(Median(parts.Select(static p => p[0])))}, analyzers {Ms(Median(parts.Select(static p => p[1])))}, emit {Ms(Median(parts.Select(static p => p[2])))}; slowest analyzer: {tooling.SlowestAnalyzer}); {tooling.Description}",
                "≤ 1.3× without",
                YesNo(ratio <= 1.3)));
            rows.Add(CachingRow(lastDriver!, lastInput!, n));
        }

        return rows;
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

    /// <summary>Edits the unrelated file of the last measured compilation and runs its generator driver again.</summary>
    private static Row CachingRow(GeneratorDriver driver, Compilation compilation, int n)
    {
        // The edit applies to the user's compilation (without the generated files), as in an IDE.
        var unrelated = compilation.SyntaxTrees.First(static t => t.FilePath.EndsWith("Unrelated.cs", StringComparison.Ordinal));
        var edited = compilation.ReplaceSyntaxTree(unrelated, unrelated.WithChangedText(
            Microsoft.CodeAnalysis.Text.SourceText.From(UnrelatedSource(2), Encoding.UTF8)));
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
            "generator after an unrelated edit (incremental)",
            Count(n),
            $"{rerun} of {outputs.Length} generated outputs re-ran",
            "—",
            "—",
            $"re-run took {Ms(ElapsedMs(t0, t1))}; steps with new/modified outputs: {string.Join(", ", brokenSteps.DefaultIfEmpty("none"))}",
            "nothing re-runs (all Cached/Unchanged)",
            YesNo(rerun == 0 && outputs.Length > 0));
    }

    /// <returns>The driver, the input and output compilations, the diagnostics, and the milliseconds
    /// spent in the generator, the analyzers and the emit.</returns>
    private static async Task<(GeneratorDriver Driver, Compilation Input, Compilation Output, ImmutableArray<Diagnostic> Diagnostics, double[] PartsMs)> CompileWithToolingAsync(
        Tooling tooling, SyntaxTree[] trees, MetadataReference[] references)
    {
        var t0 = Stopwatch.GetTimestamp();
        var compilation = Compile(trees, references);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            tooling.Generators,
            parseOptions: (CSharpParseOptions)trees[0].Options,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var updated, out var diagnostics);
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
        return (driver, compilation, updated, diagnostics, [ElapsedMs(t0, t1), ElapsedMs(t1, t2), ElapsedMs(t2, t3)]);
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

    /// <summary>The generator and analyzers, loaded as the compiler loads them.</summary>
    private sealed record Tooling(ImmutableArray<ISourceGenerator> Generators, ImmutableArray<DiagnosticAnalyzer> Analyzers, string Description)
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
            foreach (var name in new[] { "Mode.Generators.dll", "Mode.Analyzers.dll" })
            {
                var path = Path.Combine(folder, name);
                if (!File.Exists(path))
                {
                    continue;
                }

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

            return new Tooling(generators, analyzers, description);
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
