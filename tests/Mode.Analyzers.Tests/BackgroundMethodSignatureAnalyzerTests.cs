using Mode.Analyzers.Tests.Testing;

namespace Mode.Analyzers.Tests;

public class BackgroundMethodSignatureAnalyzerTests
{
    private const string Id = DiagnosticIds.UnsupportedBackgroundMethodSignature;

    [Fact]
    public Task Analyze_SupportedTaskForms_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Task] private Task A() => Task.CompletedTask;
                [Task] private Task B(CancellationToken cancellationToken) => Task.CompletedTask;
                [Task] private ValueTask C() => default;
                [Task] protected async ValueTask D(CancellationToken cancellationToken = default) => await Task.Yield();
            }
            """);

    [Fact]
    public Task Analyze_SupportedTimerForms_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Timer(1)] private void A() { }
                [Timer(1)] private void B(CancellationToken cancellationToken) { }
                [Timer(1)] private Task C() => Task.CompletedTask;
                [Timer(1)] public ValueTask D(CancellationToken cancellationToken) => default;
            }
            """);

    [Fact]
    public Task Analyze_AbstractTaskInGenericService_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public abstract partial class Worker<T> : Service
            {
                [Task] protected abstract Task RunAsync(CancellationToken cancellationToken);
            }
            """);

    [Fact]
    public Task Analyze_TaskReturningVoid_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Task] private void [|Run|]() { }
            }
            """);

    [Fact]
    public Task Analyze_TaskReturningTaskOfT_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Task] private Task<int> [|Run|]() => Task.FromResult(1);
            }
            """);

    [Fact]
    public Task Analyze_TimerReturningInt_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Timer(1)] private int [|Tick|]() => 0;
            }
            """);

    [Fact]
    public Task Analyze_StaticTask_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Task] private static Task [|Run|]() => Task.CompletedTask;
            }
            """);

    [Fact]
    public Task Analyze_GenericTimer_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Timer(1)] private void [|Tick|]<T>() { }
            }
            """);

    [Fact]
    public Task Analyze_CrontabWithExtraParameter_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Timer(5)] private Task [|Tick|](CancellationToken cancellationToken, int attempt) => Task.CompletedTask;
            }
            """);

    [Fact]
    public Task Analyze_TaskWithNonTokenParameter_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Task] private Task [|Run|](string name) => Task.CompletedTask;
            }
            """);

    [Fact]
    public Task Analyze_TaskWithRefToken_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Task] private Task [|Run|](ref CancellationToken token) => Task.CompletedTask;
            }
            """);

    [Fact]
    public Task Analyze_TaskAndTimerOnOneMethod_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Task, Timer(1)] private Task [|Run|]() => Task.CompletedTask;
            }
            """);

    [Fact]
    public Task Analyze_TaskOnLocalFunction_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
                {
                    [Task] Task [|Local|]() => Task.CompletedTask;
                    return new ValueTask(Local());
                }
            }
            """);

    [Fact]
    public Task Analyze_TimerOnLambda_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
                {
                    Action tick = [Timer(1)] () [|=>|] { };
                    tick();
                    return default;
                }
            }
            """);

    [Fact]
    public Task Analyze_OtherAttributesOnLocalFunction_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                protected override ValueTask OnStartAsync(CancellationToken cancellationToken)
                {
                    [Obsolete] Task Local() => Task.CompletedTask;
                    return new ValueTask(Local());
                }
            }
            """);
}
