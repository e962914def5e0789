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
                    Action fire = async () => await Task.Yield();
                    fire();
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
}
