using Mode.Generators.Tests.Infrastructure;

namespace Mode.Generators.Tests;

/// <summary>
/// What the generator emits for each supported shape, checked against the snapshot files by the
/// standard generated-sources verifier (<see cref="Snapshot"/>), which also checks that the generated
/// code compiles with no error and no warning.
/// </summary>
public sealed class SnapshotTests
{
    [Fact]
    public async Task Task_Alone_RegistersTask()
    {
        string[] sources = ["""
            using System.Threading.Tasks;
            using Mode;

            namespace App;

            public partial class Poller : Service
            {
                [Task]
                private Task PollAsync() => Task.CompletedTask;
            }
            """];

        await Snapshot.VerifyAsync(sources);
    }

    [Fact]
    public async Task Task_AllReturnAndParameterForms_WrapsEachForm()
    {
        string[] sources = ["""
            using System.Threading;
            using System.Threading.Tasks;
            using Mode;

            namespace App;

            public partial class Forms : Service
            {
                [Task] private Task A() => Task.CompletedTask;
                [Task] private Task B(CancellationToken cancellationToken) => Task.Delay(1, cancellationToken);
                [Task] private ValueTask C() => default;
                [Task] internal ValueTask D(CancellationToken cancellationToken) => new(Task.Delay(1, cancellationToken));
                [Task] public async Task E(CancellationToken cancellationToken) => await Task.Delay(1, cancellationToken);
            }
            """];

        await Snapshot.VerifyAsync(sources);
    }

    [Fact]
    public async Task OnError_OnEachKind_PassesThePolicyOn()
    {
        string[] sources = ["""
            using System.Threading.Tasks;
            using Mode;

            namespace App;

            public partial class Forgiving : Service
            {
                [Task(OnError = BackgroundErrorPolicy.LogAndContinue)] private Task Pump() => Task.CompletedTask;
                [Timer(5, OnError = BackgroundErrorPolicy.LogAndContinue)] private void Sweep() { }
                [Crontab("0 * * * *", OnError = BackgroundErrorPolicy.Crash)] private void Hourly() { }
                [Timer(1, OnError = BackgroundErrorPolicy.Default)] private void Plain() { }
            }
            """];

        await Snapshot.VerifyAsync(sources);
    }

    [Fact]
    public async Task Timer_SyncVoid_ReturnsDefault()
    {
        string[] sources = ["""
            using Mode;

            namespace App;

            public partial class UserCache : Service
            {
                public int Removed { get; private set; }

                [Timer(10)]
                private void RemoveExpired() => Removed++;
            }
            """];

        await Snapshot.VerifyAsync(sources);
    }

    [Fact]
    public async Task Timer_WithExecFirstNameAndMaxDriftCorrection_PassesThemOn()
    {
        string[] sources = ["""
            using System.Threading;
            using System.Threading.Tasks;
            using Mode;

            namespace App;

            public partial class Metrics : Service
            {
                [Timer(0.25, ExecFirst = true, Name = "metrics.flush", MaxDriftCorrection = 0.005)]
                private Task FlushAsync(CancellationToken cancellationToken) => Task.Delay(1, cancellationToken);

                [Timer(1e-3, MaxDriftCorrection = 0)]
                private ValueTask Sample() => default;

                [Timer(3600, ExecFirst = false)]
                private void Hourly(CancellationToken cancellationToken) => cancellationToken.ThrowIfCancellationRequested();

                [Timer(0.1 + 0.2)]
                private void Precise()
                {
                }
            }
            """];

        await Snapshot.VerifyAsync(sources);
    }

    [Fact]
    public async Task Crontab_Alone_RegistersUtcJob()
    {
        string[] sources = ["""
            using System.Threading.Tasks;
            using Mode;

            namespace App;

            public partial class Reports : Service
            {
                [Crontab("30 18 * * *")]
                private Task SendDailyReportAsync() => Task.CompletedTask;
            }
            """];

        await Snapshot.VerifyAsync(sources);
    }

    [Fact]
    public async Task Crontab_WithTimeZoneAndName_PassesThemOn()
    {
        string[] sources = ["""
            using System.Threading;
            using Mode;

            namespace App;

            public partial class Billing : Service
            {
                [Crontab("0 9 * * MON-FRI", TimeZone = "Europe/Paris", Name = "billing.invoices")]
                private void SendInvoices(CancellationToken cancellationToken) => cancellationToken.ThrowIfCancellationRequested();

                [Crontab("@hourly", TimeZone = null)]
                private void Tick()
                {
                }
            }
            """];

        await Snapshot.VerifyAsync(sources);
    }

    [Fact]
    public async Task Crontab_IncludeSeconds_PassesItOnOnlyWhenSet()
    {
        string[] sources = ["""
            using Mode;

            namespace App;

            public partial class Poller : Service
            {
                [Crontab("*/10 * * * * *", IncludeSeconds = true, OnError = BackgroundErrorPolicy.Crash)]
                private void Poll()
                {
                }

                [Crontab("0 0 L * *", IncludeSeconds = false)]
                private void CloseTheMonth()
                {
                }
            }
            """];

        await Snapshot.VerifyAsync(sources);
    }

    [Fact]
    public async Task DependsOn_FieldsAndProperties_KeepsDeclarationOrder()
    {
        string[] sources = ["""
            using Mode;

            namespace App;

            public sealed partial class Db : Service;
            public sealed partial class Cache : Service;
            public interface IQueue : IService;

            public partial class App : Service
            {
                [DependsOn] private readonly Db _zDb = new();
                [DependsOn] private readonly Cache _cacheA = new(), _cacheB = new();
                [DependsOn] public IQueue? Queue { get; set; }
                [DependsOn] private IService Any => _zDb;
                [DependsOn] private readonly Db? _aDb = null;
            }
            """];

        await Snapshot.VerifyAsync(sources);
    }

    [Fact]
    public async Task AllAttributes_Combined_RegistersDependenciesThenWork()
    {
        string[] sources = ["""
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
                }

                [Task]
                private async Task Loop(CancellationToken ct) => await Task.Delay(1000, ct);

                [Crontab("*/5 * * * *", TimeZone = "UTC")]
                private ValueTask Compact(CancellationToken ct) => ValueTask.CompletedTask;
            }
            """];

        await Snapshot.VerifyAsync(sources);
    }

    [Fact]
    public async Task GenericClass_CastsToOpenGenericType()
    {
        string[] sources = ["""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Mode;

            namespace App;

            public partial class Box<TItem, TChild> : Service
                where TItem : class
                where TChild : IService
            {
                private readonly List<TItem> _items = [];

                public Box(TChild child) => Child = child;

                [DependsOn] public TChild Child { get; }

                [Task] private Task DrainAsync() { _items.Clear(); return Task.CompletedTask; }
            }
            """];

        await Snapshot.VerifyAsync(sources);
    }

    [Fact]
    public async Task Nested_ThreeLevelsOfMixedContainers_ReopensEachContainer()
    {
        string[] sources = ["""
            using System.Threading.Tasks;
            using Mode;

            namespace App.Workers;

            public partial struct Outer
            {
                public partial record Middle<T>
                {
                    internal partial record struct Inner
                    {
                        public partial interface IHost<TOut>
                        {
                            public sealed partial class Worker : Service
                            {
                                [Task] private Task RunAsync() => Task.CompletedTask;
                            }
                        }

                        public readonly ref partial struct RefHolder
                        {
                            public partial class InRefStruct : Service
                            {
                                [Task] private ValueTask RunAsync() => default;
                            }
                        }

                        private static partial class Holder
                        {
                            private sealed partial class Hidden : Service
                            {
                                [Timer(5)] private void Beat() { }
                            }
                        }
                    }
                }
            }
            """];

        await Snapshot.VerifyAsync(sources);
    }

    [Fact]
    public async Task Inheritance_BaseAndDerivedAnnotated_DerivedCallsBaseFirst()
    {
        string[] sources = ["""
            using System.Threading.Tasks;
            using Mode;

            namespace App;

            public sealed class Db : Service;

            public abstract partial class Repository : Service
            {
                [DependsOn] protected readonly Db Db = new();

                [Task] protected virtual Task WarmUpAsync() => Task.CompletedTask;

                [Task] protected abstract Task IndexAsync();
            }

            public abstract class Plain : Repository;

            public sealed partial class Users : Plain
            {
                [Timer(30)] private void Refresh() { }

                protected override Task IndexAsync() => Task.CompletedTask;

                protected override Task WarmUpAsync() => base.WarmUpAsync();
            }
            """];

        await Snapshot.VerifyAsync(sources);
    }

    [Fact]
    public async Task GlobalNamespace_WritesNoNamespace()
    {
        string[] sources = ["""
            using System.Threading.Tasks;
            using Mode;

            public partial class Worker : Service
            {
                [Task] private Task RunAsync() => Task.CompletedTask;

                public partial class Child : Service
                {
                    [Timer(1)] private void Tick() { }
                }
            }
            """];

        await Snapshot.VerifyAsync(sources);
    }

    [Fact]
    public async Task BlockScopedNamespace_WritesBlockNamespace()
    {
        string[] sources = ["""
            using Mode;

            namespace Company.Product
            {
                namespace Feature
                {
                    public partial class Sweeper : Service
                    {
                        [Timer(60)] private void Sweep() { }
                    }
                }
            }
            """];

        await Snapshot.VerifyAsync(sources);
    }

    [Fact]
    public async Task NameClashes_UserTypesNamedLikeFrameworkTypes_StillCompile()
    {
        string[] sources = ["""
            namespace App
            {
                public sealed class Task { }
                public sealed class ValueTask { }
                public sealed class Timer { }
                public sealed class System { }
                public sealed class Mode { }
                public sealed class ServiceWiring { }
                public sealed class CancellationToken { }
                public sealed class GeneratedCode { }

                public partial class Clashing : global::Mode.Service
                {
                    [global::Mode.Task]
                    private global::System.Threading.Tasks.Task RunAsync(global::System.Threading.CancellationToken ct) =>
                        global::System.Threading.Tasks.Task.CompletedTask;

                    [global::Mode.Timer(2)]
                    private global::System.Threading.Tasks.ValueTask Tick() => default;

                    [global::Mode.DependsOn]
                    private readonly global::Mode.IService? _other = null;
                }
            }
            """];

        await Snapshot.VerifyAsync(sources);
    }

    [Fact]
    public async Task Strings_NeedingEscapes_AreEscapedLiterals()
    {
        string[] sources = [""""
            using Mode;

            namespace App;

            public partial class Escapes : Service
            {
                [Crontab("0 \"9\" * * *", TimeZone = @"Custom\Zone", Name = "quote\" backslash\\ newline\n tab\t nul\0 é \u2028 😀")]
                private void Job() { }

                [Timer(1, Name = @"C:\temp\""x""")]
                private void Tick() { }
            }
            """"];

        await Snapshot.VerifyAsync(sources);
        var source = GeneratorRunner.Run(sources).Sources["App.Escapes.Mode.g.cs"];
        Assert.Contains("\"quote\\\" backslash\\\\ newline\\n tab\\t nul\\0 é \\u2028 \\ud83d\\ude00\"", source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeywordNames_AreEscapedIdentifiers()
    {
        string[] sources = ["""
            using System.Threading.Tasks;
            using Mode;

            namespace App.@event;

            public partial class @class<@int> : Service
            {
                [DependsOn] private readonly IService? @base = null;

                [Task] private Task @return() => Task.CompletedTask;
            }
            """];

        await Snapshot.VerifyAsync(sources);
    }

    [Fact]
    public async Task PartialAcrossFiles_DependenciesFollowFileThenMemberOrder()
    {
        string[] sources = [
            """
            using Mode;

            namespace App;

            public partial class Split : Service
            {
                [DependsOn] private readonly IService? _second = null;
            }
            """,
            """
            using Mode;

            namespace App;

            public partial class Split
            {
                [DependsOn] private readonly IService? _third = null;
                [DependsOn] private readonly IService? _fourth = null;
            }

            public partial class Split
            {
                [DependsOn] private readonly IService? _fifth = null;
            }
            """];

        await Snapshot.VerifyAsync(sources);
    }

    [Fact]
    public async Task InvalidMembers_NextToValidOnes_AreLeftOut()
    {
        string[] sources = ["""
            using System.Threading;
            using System.Threading.Tasks;
            using Mode;

            namespace App;

            public partial class Mixed : Service
            {
                [Task] private Task Valid() => Task.CompletedTask;
                [Task] private static Task Static() => Task.CompletedTask;
                [Task] private void VoidTask() { }
                [Task] private Task<int> Generic() => Task.FromResult(1);
                [Task] private Task TwoParameters(CancellationToken a, CancellationToken b) => Task.CompletedTask;
                [Task] private Task WrongParameter(int x) => Task.CompletedTask;
                [Task] private Task ByRef(ref CancellationToken ct) => Task.CompletedTask;
                [Timer(1)] private Task GenericMethod<T>() => Task.CompletedTask;
                [Timer(1)] private int ReturnsInt() => 1;
                [DependsOn] private readonly object _notAService = new();
                [DependsOn] private static IService? StaticProperty => null;
                [DependsOn] private IService? WriteOnly { set { } }
            }
            """];

        await Snapshot.VerifyAsync(sources);
    }

    [Fact]
    public void TypeParametersNamedLikeLambdaParameters_CompileWithoutErrors()
    {
        // Lower-case type parameter names only draw CS8981 (a warning about the user's own names),
        // so this checks errors only: `s`, `ct` and `wiring` must not clash with the generated lambdas.
        var compilation = GeneratorRunner.CreateCompilation(["""
            using System.Threading;
            using System.Threading.Tasks;
            using Mode;

            namespace App;

            public partial class Clash<s, ct, wiring> : Service
            {
                [DependsOn] private readonly IService? _child = null;

                [Task] private Task RunAsync(CancellationToken token) => Task.CompletedTask;
            }
            """]);

        GeneratorRunner.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);

        Assert.Empty(diagnostics);
        Assert.Equal(3, output.SyntaxTrees.Count()); // the source, its wiring, the service graph
        GeneratorRunner.AssertNoErrors(output, "output");
    }

    [Fact]
    public async Task PartialMethodsAndArityOverloads_AreWiredByName()
    {
        string[] sources = [
            """
            using System.Threading;
            using System.Threading.Tasks;
            using Mode;

            namespace App;

            public partial class Box : Service
            {
                [Task] private partial Task DefinedHereAsync(CancellationToken ct);
                private partial ValueTask ImplementedHereAsync();

                [DependsOn] public IService? Child { get; init; }
            }

            public partial class Box<T> : Service
            {
                [Timer(2)] private void Tick() { }
            }
            """,
            """
            using System.Threading;
            using System.Threading.Tasks;
            using Mode;

            namespace App;

            public partial class Box
            {
                private partial Task DefinedHereAsync(CancellationToken ct) => Task.Delay(1, ct);
                [Timer(1)] private partial ValueTask ImplementedHereAsync() => default;
            }
            """];

        await Snapshot.VerifyAsync(sources);
    }
}
