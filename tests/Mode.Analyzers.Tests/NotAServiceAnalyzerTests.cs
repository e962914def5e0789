using Mode.Analyzers.Tests.Testing;

namespace Mode.Analyzers.Tests;

public class NotAServiceAnalyzerTests
{
    private const string Id = DiagnosticIds.NotAService;

    [Fact]
    public Task Analyze_TaskInPlainClass_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class [|Plain|]
            {
                [Task] private Task RunAsync() => Task.CompletedTask;
            }
            """);

    [Fact]
    public Task Analyze_TimerInStruct_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial struct [|Ticker|]
            {
                [Timer(1)] private void Tick() { }
            }
            """);

    [Fact]
    public Task Analyze_DependsOnInClassImplementingIServiceOnly_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public abstract partial class [|Proxy|]
            {
                [DependsOn] public Service? Inner { get; set; }
            }
            """);

    [Fact]
    public Task Analyze_CrontabInRecord_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial record [|Job|]
            {
                [Timer(60)] private void Run() { }
            }
            """);

    [Fact]
    public Task Analyze_IndirectServiceSubclass_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public abstract partial class Base : Service;

            public partial class App : Base
            {
                [Task] private Task RunAsync() => Task.CompletedTask;
            }
            """);

    [Fact]
    public Task Analyze_PlainClassWithoutModeAttributes_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public class Plain
            {
                [Obsolete] private Task RunAsync() => Task.CompletedTask;
            }
            """);

    [Fact]
    public Task Analyze_PlainClassWithOwnTaskAttribute_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            namespace Other
            {
                public sealed class TaskAttribute : Attribute;

                public class Plain
                {
                    [Task] private System.Threading.Tasks.Task RunAsync() => System.Threading.Tasks.Task.CompletedTask;
                }
            }
            """);
}
