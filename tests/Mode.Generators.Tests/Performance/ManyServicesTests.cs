using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Mode.Generators.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Mode.Generators.Tests.Performance;

/// <summary>
/// The generator at scale: N services (100 by default) with all four attributes, one file each.
/// The timing harness runs only when <c>MODE_MEASURE_SERVICES</c> is set (it takes a while and its
/// numbers mean little on a busy machine):
/// <c>MODE_MEASURE_SERVICES=1000 dotnet test tests/Mode.Generators.Tests --filter "FullyQualifiedName~ManyServicesTests.Measure" --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class ManyServicesTests(ITestOutputHelper output)
{
    private const int Rounds = 7;

    private static int? Requested =>
        int.TryParse(Environment.GetEnvironmentVariable("MODE_MEASURE_SERVICES"), out var n) && n > 0 ? n : null;

    private static int Count => Requested ?? 100;

    [Fact]
    public void Measure_ManyServices_FirstAndIncrementalRunTimes()
    {
        if (Requested is null)
        {
            output.WriteLine("Set MODE_MEASURE_SERVICES (e.g. 1000) to measure.");
            return;
        }

        var sources = Sources(Count);
        output.WriteLine($"{Count} services, {Rounds} rounds, median of rounds 2..{Rounds} (round 1 is cold: JIT):");
        foreach (var prebound in (bool[])[false, true])
        {
            var mode = new List<Timing>();
            var baseline = new List<Timing>();
            for (var round = 0; round < Rounds; round++)
            {
                // Interleaved with a generator that only runs ForAttributeWithMetadataName for the same
                // four attributes: the part of the cost any attribute-driven generator pays.
                mode.Add(Time(sources, new ServiceGenerator(), prebound));
                baseline.Add(Time(sources, new BaselineGenerator(), prebound));
            }

            output.WriteLine(prebound
                ? "compilations already bound (declaration diagnostics computed first; the generator's own cost):"
                : "fresh compilations (the generator also pays for binding what it reads):");
            output.WriteLine($"  Mode.Generators: first run {Median(mode, static t => t.First):F0} ms ({Median(mode, static t => t.FirstCpu):F0} ms CPU), incremental run {Median(mode, static t => t.Incremental):F0} ms ({Median(mode, static t => t.IncrementalCpu):F0} ms CPU); cold first run {mode[0].First:F0} ms");
            output.WriteLine($"  FAWMN baseline:  first run {Median(baseline, static t => t.First):F0} ms ({Median(baseline, static t => t.FirstCpu):F0} ms CPU), incremental run {Median(baseline, static t => t.Incremental):F0} ms ({Median(baseline, static t => t.IncrementalCpu):F0} ms CPU)");
        }
    }

    [Fact]
    public void Rerun_ManyServicesUnrelatedEdit_AllOutputsCached()
    {
        var compilation = GeneratorRunner.CreateCompilation(Sources(Count));
        var driver = GeneratorRunner.CreateDriver().RunGenerators(compilation);
        Assert.Equal(Count + 1, driver.GetRunResult().GeneratedTrees.Length); // and the service graph

        driver = driver.RunGenerators(Edit(compilation));

        var result = Assert.Single(driver.GetRunResult().Results);
        var reasons = result.TrackedOutputSteps.SelectMany(static s => s.Value).SelectMany(static s => s.Outputs).Select(static o => o.Reason).ToArray();
        Assert.Equal(Count + 1, reasons.Length);
        Assert.All(reasons, static r => Assert.Equal(IncrementalStepRunReason.Cached, r));
    }

    private static Timing Time(string[] sources, IIncrementalGenerator generator, bool prebound)
    {
        var compilation = GeneratorRunner.CreateCompilation(sources);
        var edited = Edit(compilation);
        if (prebound)
        {
            _ = compilation.GetDeclarationDiagnostics();
            _ = edited.GetDeclarationDiagnostics();
        }

        var process = Process.GetCurrentProcess();
        var driver = (GeneratorDriver)CSharpGeneratorDriver.Create([generator.AsSourceGenerator()], parseOptions: GeneratorRunner.ParseOptions());
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        driver = driver.RunGenerators(compilation);
        process.Refresh();
        var cpu1 = process.TotalProcessorTime;
        var first = driver.GetTimingInfo().GeneratorTimes[0].ElapsedTime.TotalMilliseconds;
        driver = driver.RunGenerators(edited);
        process.Refresh();
        var cpu2 = process.TotalProcessorTime;
        var incremental = driver.GetTimingInfo().GeneratorTimes[0].ElapsedTime.TotalMilliseconds;
        return new Timing(first, incremental, (cpu1 - cpu0).TotalMilliseconds, (cpu2 - cpu1).TotalMilliseconds);
    }

    private static double Median(List<Timing> times, Func<Timing, double> pick)
    {
        var values = times.Skip(1).Select(pick).Order().ToArray();
        return values[values.Length / 2];
    }

    /// <summary>A method body change in the middle file.</summary>
    private static CSharpCompilation Edit(CSharpCompilation compilation)
    {
        var tree = compilation.SyntaxTrees[compilation.SyntaxTrees.Length / 2];
        var edited = tree.ToString().Replace("var x = ", "var x = 1 + ", StringComparison.Ordinal);
        return compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(edited, (CSharpParseOptions)tree.Options, tree.FilePath));
    }

    private static string[] Sources(int count) => [.. Enumerable.Range(0, count).Select(static i => $$"""
        using System.Threading;
        using System.Threading.Tasks;
        using Mode;

        namespace App.Group{{i % 20}};

        public sealed class Dependency{{i}} : Service;

        public partial class Service{{i}} : Service
        {
            [DependsOn] private readonly Dependency{{i}} _dependency = new();
            [DependsOn] public IService? Other { get; set; }

            [Task] private Task RunAsync(CancellationToken ct) => Task.Delay(1000, ct);

            [Timer({{i + 1}}, ExecFirst = true)]
            private void Tick()
            {
                var x = {{i}};
                _ = x;
            }

            [Crontab("*/5 * * * *", TimeZone = "UTC")] private ValueTask JobAsync() => default;
        }
        """)];

    private readonly record struct Timing(double First, double Incremental, double FirstCpu, double IncrementalCpu);

    private sealed class BaselineGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            foreach (var name in (string[])["Mode.TaskAttribute", "Mode.TimerAttribute", "Mode.CrontabAttribute", "Mode.DependsOnAttribute"])
            {
                var names = context.SyntaxProvider.ForAttributeWithMetadataName(name, static (_, _) => true, static (c, _) => c.TargetSymbol.Name);
                context.RegisterSourceOutput(names.Collect(), static (_, _) => { });
            }
        }
    }
}
