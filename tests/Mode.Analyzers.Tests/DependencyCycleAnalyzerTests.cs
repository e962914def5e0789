using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Mode.Analyzers.Tests.Testing;

namespace Mode.Analyzers.Tests;

public class DependencyCycleAnalyzerTests
{
    private const string Id = DiagnosticIds.DependencyCycle;

    [Fact]
    public Task Analyze_ThreeServiceCycle_ReportsOnceAtSmallestName() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class Webserver : Service
            {
                [DependsOn] private readonly UserCache _cache = new();
            }

            public partial class App : Service
            {
                [[|DependsOn|]] private readonly Webserver _web = new();
            }

            public partial class UserCache : Service
            {
                [DependsOn] private App? _app;
            }
            """);

    [Fact]
    public Task Analyze_ThreeServiceCycle_MessageNamesTheChain()
    {
        Assert.Equal("https://github.com/mode-dotnet/mode/blob/main/Mode.Analyzers/docs/MODE001.md", ModeTestSetup.Descriptor(Id).HelpLinkUri);
        return ModeAnalyzerTest.VerifyAsync(
            """
            public partial class Webserver : Service { [DependsOn] private readonly UserCache _cache = new(); }
            public partial class App : Service { [{|#0:DependsOn|}] private readonly Webserver _web = new(); }
            public partial class UserCache : Service { [DependsOn] private App? _app; }
            """,
            ModeAnalyzerTest.Diagnostic(Id)
                .WithLocation(0)
                .WithSeverity(DiagnosticSeverity.Error)
                .WithMessage("Dependency cycle between services: App -> Webserver -> UserCache -> App; a service cannot (transitively) depend on itself, break the cycle by removing one [DependsOn]"));
    }

    [Fact]
    public Task Analyze_SelfDependency_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class TreeNode : Service
            {
                [[|DependsOn|]] public TreeNode? Child { get; set; }
            }
            """);

    [Fact]
    public Task Analyze_TwoServicesThroughProperties_ReportsAtFirstAttributeOfSmallest() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            namespace Shop
            {
                public partial class Orders : Service
                {
                    [DependsOn] public Billing? Billing { get; init; }
                }

                public partial class Billing : Service
                {
                    [Obsolete, [|DependsOn|]] public Orders? Orders { get; init; }
                    [DependsOn] public Orders? AlsoOrders { get; init; }
                }
            }
            """);

    [Fact]
    public Task Analyze_TwoSeparateCycles_ReportsEach() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class A : Service { [[|DependsOn|]] private B? _b; }
            public partial class B : Service { [DependsOn] private A? _a; }
            public partial class C : Service { [[|DependsOn|]] private D? _d; }
            public partial class D : Service { [DependsOn] private C? _c; }
            public partial class E : Service { [DependsOn] private A? _a; [DependsOn] private C? _c; }
            """);

    [Fact]
    public Task Analyze_CycleAcrossFiles_ReportsInFileOfSmallest() =>
        ModeAnalyzerTest.VerifyAsync(
            Id,
            """
            public partial class Zeta : Service { [DependsOn] private Alpha? _alpha; }
            """,
            """
            public partial class Alpha : Service { [[|DependsOn|]] private Zeta? _zeta; }
            """);

    [Fact]
    public Task Analyze_TwoCyclesSharingAService_ReportsOneComponentListingTheRest() =>
        ModeAnalyzerTest.VerifyAsync(
            """
            public partial class A : Service { [{|#0:DependsOn|}] private B? _b; [DependsOn] private C? _c; }
            public partial class B : Service { [DependsOn] private A? _a; }
            public partial class C : Service { [DependsOn] private A? _a; }
            """,
            ModeAnalyzerTest.Diagnostic(Id).WithLocation(0).WithArguments("A -> B -> A (also in the cycle: C)"));

    [Fact]
    public Task Analyze_CycleThroughInheritedMember_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public abstract partial class Base : Service
            {
                [[|DependsOn|]] protected UserCache? Cache { get; set; }
            }

            public partial class App : Base;

            public partial class UserCache : Service
            {
                [DependsOn] private App? _owner;
            }
            """);

    [Fact]
    public Task Analyze_CycleThroughGenericWrapper_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class Wrapper<T> : Service where T : class, IService
            {
                [DependsOn] public T? Inner { get; set; }
            }

            public partial class App : Service
            {
                [[|DependsOn|]] private readonly Wrapper<App> _wrapper = new();
            }
            """);

    [Fact]
    public Task Analyze_CycleThroughReferencedGenericService_Reports()
    {
        var test = new ModeAnalyzerTest(Id)
        {
            TestCode = """
                public partial class App : Service
                {
                    [{|#0:DependsOn|}] private readonly Lib.Wrapper<App> _wrapper = new();
                }
                """,
            ExpectedDiagnostics = { ModeAnalyzerTest.Diagnostic(Id).WithLocation(0).WithArguments("App -> Lib.Wrapper<App> -> App") },
        };
        var library = new ProjectState("Lib", LanguageNames.CSharp, "/Lib/Test", "cs")
        {
            Sources =
            {
                """
                namespace Lib;

                public partial class Wrapper<T> : Service where T : class, IService
                {
                    [DependsOn] public T? Inner { get; set; }
                }
                """,
            },
        };
        ModeTestSetup.AddCommonState(library);
        test.TestState.AdditionalProjects.Add("Lib", library);
        test.TestState.AdditionalProjectReferences.Add("Lib");
        return test.RunAsync();
    }

    [Fact]
    public Task Analyze_DiamondWithoutCycle_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [DependsOn] private readonly Web _web = new();
                [DependsOn] private readonly Jobs _jobs = new();
            }

            public partial class Web : Service { [DependsOn] private readonly Db _db = new(); }
            public partial class Jobs : Service { [DependsOn] private readonly Db _db = new(); }
            public partial class Db : Service;
            """);

    [Fact]
    public Task Analyze_BackReferenceWithoutDependsOn_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [DependsOn] private readonly Child _child;

                public App() => _child = new Child(this);
            }

            public partial class Child(App owner) : Service
            {
                public App Owner { get; } = owner;
            }
            """);

    [Fact]
    public Task Analyze_CycleThroughInterfaceType_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public interface IApp : IService;

            public partial class App : Service, IApp
            {
                [DependsOn] private readonly Cache _cache = new();
            }

            public partial class Cache : Service
            {
                [DependsOn] public IApp? Owner { get; set; }
            }
            """);

    [Fact]
    public Task Analyze_StaticMemberBackEdge_IgnoredByGraph() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [DependsOn] private readonly Cache _cache = new();
            }

            public partial class Cache : Service
            {
                [DependsOn] private static App? {|MODE009:s_app|};
            }
            """);

    [Fact]
    public Task Analyze_LongChainClosingIntoCycle_ReportsFullChain()
    {
        const int length = 3000;
        var source = new System.Text.StringBuilder();
        for (var i = 0; i < length; i++)
        {
            var attribute = i == 0 ? "{|#0:DependsOn|}" : "DependsOn";
            source.Append(CultureInfo.InvariantCulture, $"public partial class S{i:D4} : Service {{ [{attribute}] private S{(i + 1) % length:D4}? _next; }}\n");
        }

        var chain = string.Join(" -> ", Enumerable.Range(0, length + 1).Select(i => $"S{i % length:D4}"));
        return ModeAnalyzerTest.VerifyAsync(source.ToString(), ModeAnalyzerTest.Diagnostic(Id).WithLocation(0).WithArguments(chain));
    }

    // Edges from code: OnInitDependencies() and AddDependency(new X()).

    [Fact]
    public Task Analyze_CycleThroughOnInitDependencies_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                protected override IEnumerable<IService> OnInitDependencies() => [[|new Worker()|], new Db()];
            }

            public partial class Worker : Service
            {
                [DependsOn] private App? _owner;
            }

            public partial class Db : Service;
            """);

    [Fact]
    public Task Analyze_CycleThroughAddDependencyInOnInitAndHook_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                protected override void OnInit() => AddDependency([|new Cache()|]);
            }

            public partial class Cache : Service
            {
                protected override ValueTask OnFirstStartAsync(CancellationToken cancellationToken)
                {
                    AddDependency(new Loader());
                    return default;
                }
            }

            public partial class Loader : Service
            {
                protected override IEnumerable<IService> OnInitDependencies()
                {
                    yield return new App();
                }
            }
            """);

    [Fact]
    public Task Analyze_CycleThroughBaseServiceCode_ReportsForDerived() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public abstract partial class Base : Service
            {
                protected override IEnumerable<IService> OnInitDependencies() => [[|new Child()|]];
            }

            public partial class App : Base;

            public partial class Child : Service
            {
                [DependsOn] private App? _app;
            }
            """);

    [Fact]
    public Task Analyze_ServicesCreatedElsewhereOrNotNew_NoEdge() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                private readonly Worker _worker = new();

                protected override void OnInit() => AddDependency(_worker);

                public Worker Spare() => new Worker();

                protected override IEnumerable<IService> OnInitDependencies() => [new Db()];
            }

            public partial class Worker : Service
            {
                [DependsOn] private App? _owner;
            }

            public partial class Db : Service;
            """);

    [Fact]
    [Trait("Category", "Performance")]
    public async Task Analyze_FiveThousandServices_RunsInLinearTime()
    {
        // 5,000 services in 50 files: each depends on the next two (a DAG), and every 500th closes a
        // cycle back 3 steps: 10 cycles to find. Timed: the cycle analyzer alone, after the
        // compilation is bound (GetDiagnostics), so the number is the analyzer's own cost.
        const int services = 5000;
        var files = new List<string>();
        for (var file = 0; file < 50; file++)
        {
            var text = new System.Text.StringBuilder("namespace Big;\n");
            for (var i = file * 100; i < (file + 1) * 100; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"public partial class S{i:D4} : Service {{ ");
                if (i + 1 < services)
                {
                    text.Append(CultureInfo.InvariantCulture, $"[DependsOn] private S{i + 1:D4}? _a; ");
                }

                if (i + 2 < services)
                {
                    text.Append(CultureInfo.InvariantCulture, $"[DependsOn] public S{i + 2:D4}? B {{ get; set; }} ");
                }

                if (i % 500 == 499)
                {
                    text.Append(CultureInfo.InvariantCulture, $"[DependsOn] private S{i - 3:D4}? _back; ");
                }

                text.Append("}\n");
            }

            files.Add(text.ToString());
        }

        var compilation = ModeTestSetup.CreateCompilation([.. files]);
        var bind = System.Diagnostics.Stopwatch.StartNew();
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        bind.Stop();

        var analyzer = new DependencyCycleAnalyzer();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var withAnalyzer = compilation.WithAnalyzers(
            [analyzer],
            new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), null, concurrentAnalysis: true, logAnalyzerExecutionTime: true, reportSuppressedDiagnostics: false));
        var diagnostics = await withAnalyzer.GetAnalyzerDiagnosticsAsync();
        watch.Stop();
        var own = (await withAnalyzer.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None)).ExecutionTime;

        Assert.Equal(10, diagnostics.Length);
        Assert.All(diagnostics, d => Assert.Equal(Id, d.Id));
        var line = $"MODE001 on {services} services / {(services * 2) - 3 + 10} edges: analyzer's own execution time {own.TotalMilliseconds:F0} ms; " +
            $"GetAnalyzerDiagnosticsAsync wall time {watch.ElapsedMilliseconds} ms (includes the driver re-declaring every symbol); " +
            $"binding the compilation (GetDiagnostics) {bind.ElapsedMilliseconds} ms";
        Console.WriteLine(line);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), line);
    }
}
