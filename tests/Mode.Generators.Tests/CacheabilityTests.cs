using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Mode.Generators.Tests.Infrastructure;
using static Microsoft.CodeAnalysis.IncrementalStepRunReason;

namespace Mode.Generators.Tests;

/// <summary>
/// The pipeline is incremental: an unrelated edit leaves every named step Cached or
/// Unchanged and every output Cached; a change that matters gives Modified; no step holds a Roslyn object.
/// </summary>
public sealed class CacheabilityTests
{
    private const string Services = """
        using System.Threading;
        using System.Threading.Tasks;
        using Mode;

        namespace App;

        public sealed class Db : Service;

        public partial class UserCache : Service
        {
            [DependsOn] private readonly Db _db = new();

            [Timer(10)]
            private void RemoveExpired()
            {
                var x = 1;
                _ = x;
            }

            [Task]
            private Task Loop(CancellationToken ct) => Task.Delay(1000, ct);

            [Crontab("30 18 * * *")]
            private void Report() { }
        }

        public partial class Outer
        {
            public partial class Inner<T> : Service
            {
                [Task] private ValueTask RunAsync() => default;
            }
        }
        """;

    private static readonly Dictionary<string, IncrementalStepRunReason[]> s_unchanged = TrackingNames.All
        .ToDictionary(static n => n, static _ => new[] { Cached, Unchanged });

    public static TheoryData<string, string> UnrelatedEdits => new()
    {
        { "new file", "add:namespace App; public static class Extra { public static int Value => 42; }" },
        { "method body change", "replace:var x = 1;|var x = 2 + 3;" },
        { "new non-service class", "append:public sealed class NotAService { public int Value { get; set; } }" },
        { "new unannotated member in a service", "replace:[Task]\n    private Task Loop|public int Count { get; set; }\n\n    [Task]\n    private Task Loop" },
        { "comment and whitespace", "replace:[Timer(10)]|// the cache timer\n    [Timer(10)]    " },
    };

    [Theory]
    [MemberData(nameof(UnrelatedEdits))]
    public void Rerun_UnrelatedEdit_EveryStepCachedOrUnchangedAndOutputsCached(string edit, string change)
    {
        var first = GeneratorRunner.Run(Services);
        var edited = Apply(first.Input, change);

        var second = GeneratorRunner.Run(first.Driver, edited);

        IncrementalAssert.Steps(second.Result, s_unchanged);
        var outputs = IncrementalAssert.OutputReasons(second.Result);
        Assert.Equal(2, outputs.Length);
        Assert.All(outputs, reason => Assert.True(reason == Cached, $"{edit}: output was {reason}"));
        Assert.Equal(first.Sources, second.Sources);
    }

    [Fact]
    public void Rerun_TimerIntervalChanged_TimerServiceAndOutputModified()
    {
        var first = GeneratorRunner.Run(Services);
        var edited = Apply(first.Input, "replace:[Timer(10)]|[Timer(20)]");

        var second = GeneratorRunner.Run(first.Driver, edited);

        Assert.Contains(Modified, IncrementalAssert.ReasonsOf(second.Result, TrackingNames.Timers));
        Assert.Equal([Modified], IncrementalAssert.ReasonsOf(second.Result, TrackingNames.Services));
        // Services are in ordinal order: App.Outer+Inner`1, then App.UserCache.
        Assert.Equal([Unchanged, Modified], IncrementalAssert.ReasonsOf(second.Result, TrackingNames.Service));
        Assert.Equal([Cached, Modified], IncrementalAssert.OutputReasons(second.Result));
        Assert.Contains("20D", second.Sources["App.UserCache.Mode.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void Rerun_CrontabTimeZoneAdded_CrontabStepModified()
    {
        var first = GeneratorRunner.Run(Services);
        var edited = Apply(first.Input, "replace:[Crontab(\"30 18 * * *\")]|[Crontab(\"30 18 * * *\", TimeZone = \"Europe/Oslo\")]");

        var second = GeneratorRunner.Run(first.Driver, edited);

        Assert.Contains(Modified, IncrementalAssert.ReasonsOf(second.Result, TrackingNames.Crontabs));
        Assert.Equal([Cached, Modified], IncrementalAssert.OutputReasons(second.Result));
        Assert.Contains("\"Europe/Oslo\"", second.Sources["App.UserCache.Mode.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void Rerun_ServiceAdded_NewOutputAndOthersCached()
    {
        var first = GeneratorRunner.Run(Services);
        var edited = Apply(first.Input, "add:namespace App; public partial class Zed : Mode.Service { [Mode.Timer(1)] private void Tick() { } }");

        var second = GeneratorRunner.Run(first.Driver, edited);

        Assert.Equal(3, second.Sources.Count);
        Assert.Equal([New, Cached, Cached], IncrementalAssert.OutputReasons(second.Result).Order());
    }

    [Fact]
    public void Run_AnyInput_NoStepHoldsRoslynObjects()
    {
        var first = GeneratorRunner.Run(Services);
        var second = GeneratorRunner.Run(first.Driver, Apply(first.Input, "replace:[Timer(10)]|[Timer(11)]"));

        IncrementalAssert.NoRoslynObjects(first.Result, TrackingNames.All);
        IncrementalAssert.NoRoslynObjects(second.Result, TrackingNames.All);
        Assert.All(TrackingNames.All, name => Assert.True(first.Result.TrackedSteps.ContainsKey(name), $"{name} was not tracked"));
    }

    /// <summary>
    /// Applies an edit: <c>add:</c> a new file, <c>append:</c> text to the first file, or
    /// <c>replace:old|new</c> in the first file.
    /// </summary>
    private static CSharpCompilation Apply(CSharpCompilation compilation, string change)
    {
        var tree = compilation.SyntaxTrees.First();
        var text = tree.ToString();
        var options = (CSharpParseOptions)tree.Options;
        if (change.StartsWith("add:", StringComparison.Ordinal))
        {
            return compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(change["add:".Length..], options, path: "Added.cs"));
        }

        string newText;
        if (change.StartsWith("append:", StringComparison.Ordinal))
        {
            newText = text + "\n" + change["append:".Length..];
        }
        else
        {
            var parts = change["replace:".Length..].Split('|');
            Assert.Contains(parts[0], text, StringComparison.Ordinal);
            newText = text.Replace(parts[0], parts[1], StringComparison.Ordinal);
        }

        return compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(newText, options, path: tree.FilePath));
    }
}
