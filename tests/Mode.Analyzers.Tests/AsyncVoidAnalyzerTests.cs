using Mode.Analyzers.CodeFixes;
using Mode.Analyzers.Tests.Testing;

namespace Mode.Analyzers.Tests;

public class AsyncVoidAnalyzerTests
{
    private const string Id = DiagnosticIds.AsyncVoidInService;

    [Fact]
    public Task Analyze_AsyncVoidMethodInService_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                public async void [|Refresh|]() => await Task.Yield();
            }
            """);

    [Fact]
    public Task Analyze_AsyncVoidLocalFunctionInService_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
                {
                    async void [|Fire|]() => await Task.Yield();
                    Fire();
                    return default;
                }
            }
            """);

    [Fact]
    public Task Analyze_AsyncVoidOverrideOfOnInit_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                protected override async void [|OnInit|]() => await Task.Yield();
            }
            """);

    [Fact]
    public Task Analyze_AsyncVoidTimer_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Timer(1)] private async void [|Tick|]() => await Task.Yield();
            }
            """);

    [Fact]
    public Task Analyze_EventHandlerShape_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                private async void OnChanged(object? sender, EventArgs e) => await Task.Yield();
                private async void OnRenamed(object sender, RenamedEventArgs e) => await Task.Yield();
            }
            """);

    [Fact]
    public Task Analyze_AsyncVoidOutsideService_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public class Plain
            {
                public async void Refresh() => await Task.Yield();
            }
            """);

    [Fact]
    public Task Analyze_AsyncTaskAndSyncVoidInService_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                public async Task RefreshAsync() => await Task.Yield();
                public void Refresh() { }
                protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
                {
                    Func<Task> fire = async () => await Task.Yield();
                    _ = fire();
                    return default;
                }
            }
            """);

    [Fact]
    public Task Fix_AsyncVoidMethod_ReturnsTask() =>
        ModeCodeFixTest<AsyncVoidCodeFix>.VerifyAsync(Id, """
            public partial class App : Service
            {
                public async void [|Refresh|]()
                {
                    await Task.Yield();
                }
            }
            """, """
            public partial class App : Service
            {
                public async Task Refresh()
                {
                    await Task.Yield();
                }
            }
            """);

    [Fact]
    public Task Fix_AsyncVoidWithoutTasksUsing_ReturnsQualifiedTask() =>
        ModeCodeFixTest<AsyncVoidCodeFix>.VerifyAsync(Id, """
            namespace Ns
            {
                using Task = System.String;

                public partial class App : Mode.Service
                {
                    private async void [|Refresh|]() => await System.Threading.Tasks.Task.Yield();
                }
            }
            """, """
            namespace Ns
            {
                using Task = System.String;

                public partial class App : Mode.Service
                {
                    private async System.Threading.Tasks.Task Refresh() => await System.Threading.Tasks.Task.Yield();
                }
            }
            """);

    [Fact]
    public Task FixAll_MethodAndLocalFunction_ReturnTask() =>
        ModeCodeFixTest<AsyncVoidCodeFix>.VerifyAsync(Id, """
            public partial class App : Service
            {
                private async void [|First|]() => await Task.Yield();

                protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
                {
                    async void [|Second|]() => await Task.Yield();
                    await Task.Yield();
                }
            }
            """, """
            public partial class App : Service
            {
                private async Task First() => await Task.Yield();

                protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
                {
                    async Task Second() => await Task.Yield();
                    await Task.Yield();
                }
            }
            """);

    [Fact]
    public Task Fix_AsyncVoidOverride_NotOffered() =>
        ModeCodeFixTest<AsyncVoidCodeFix>.VerifyNoFixAsync(Id, """
            public partial class App : Service
            {
                protected override async void [|OnInit|]() => await Task.Yield();
            }
            """);

    // Async lambdas and anonymous methods converted to a void-returning delegate.

    [Fact]
    public Task Analyze_AsyncLambdaAsAction_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                private readonly Action _refresh = [|async () =>|] await Task.Yield();

                protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
                {
                    Action<int> log = [|async n =>|] await Task.Delay(n);
                    EventHandler changed = [|async (sender, e) =>|] await Task.Yield();
                    Action fire = [|async delegate|] { await Task.Yield(); };
                    return default;
                }
            }
            """);

    [Fact]
    public Task Analyze_AsyncLambda_MessageNamesDelegate() =>
        ModeAnalyzerTest.VerifyAsync(
            """
            public partial class App : Service
            {
                private readonly Action<string> _log = {|#0:async text =>|} await File.WriteAllTextAsync("log", text);
            }
            """,
            ModeAnalyzerTest.Diagnostic(Id).WithLocation(0).WithMessage(
                "An async lambda converted to 'Action<string>' is async void: its exceptions bypass the service and crash the process, and nobody can await it; take a delegate that returns Task (Func<Task>) and await it, or catch every exception inside"));

    [Fact]
    public Task Analyze_AsyncLambdaReturningTaskOrOutsideService_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
                {
                    Func<Task> load = async () => await Task.Yield();
                    await Task.Run(async () => await load());
                    Action sync = () => { };
                    await load();
                }
            }

            public class Plain
            {
                public Action Fire = async () => await Task.Yield();
            }
            """);
}
