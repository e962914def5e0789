using Mode.Analyzers.Tests.Testing;

namespace Mode.Analyzers.Tests;

public class ScheduleAnalyzerTests
{
    private const string Id = DiagnosticIds.InvalidSchedule;

    [Fact]
    public Task Analyze_PositiveIntervals_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Timer(1)] private void A() { }
                [Timer(0.001)] private void B() { }
                [Timer(86400 * 365, ExecFirst = true)] private void C() { }
                [Timer(seconds: 2.5, Name = "d")] private void D() { }
            }
            """);

    [Fact]
    public Task Analyze_ZeroInterval_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Timer([|0|])] private void Tick() { }
            }
            """);

    [Fact]
    public Task Analyze_NegativeIntervalFromConstant_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                private const double Interval = -5;

                [Timer([|Interval|])] private void Tick() { }
            }
            """);

    [Fact]
    public Task Analyze_NaNInterval_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Timer([|double.NaN|])] private void Tick() { }
            }
            """);

    [Fact]
    public Task Analyze_InfiniteIntervalNamedArgument_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Timer([|seconds: double.PositiveInfinity|], ExecFirst = true)] private void Tick() { }
            }
            """);

    [Fact]
    public Task Analyze_IntervalBeyondTimeSpan_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Timer([|1e300|])] private void Tick() { }
            }
            """);

    [Fact]
    public Task Analyze_HourOutOfRange_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Crontab([|"0 24 * * *"|])] private void Run() { }
            }
            """);

    [Fact]
    public Task Analyze_TooFewFields_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Crontab([|"*/15 * *"|], TimeZone = "Europe/Paris")] private Task RunAsync() => Task.CompletedTask;
            }
            """);

    [Fact]
    public Task Analyze_GarbageExpression_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Crontab([|"every day at noon"|])] private void Run() { }
            }
            """);

    [Fact]
    public Task Analyze_NullExpression_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Crontab([|null!|])] private void Run() { }
            }
            """);

    [Fact]
    public Task Analyze_ValidCronExpressions_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Crontab("*/15 * * * *")] private void A() { }
                [Crontab("30 18 * * *", TimeZone = "Europe/Paris")] private void B() { }
                [Crontab("0 9-17 * * MON-FRI")] private void C() { }
                [Crontab("@daily")] private void D() { }
            }
            """);

    [Fact]
    public Task Analyze_UnknownTimeZone_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Crontab("0 0 * * *", TimeZone = "Not/AZone")] private void Run() { }
            }
            """);

    [Fact]
    public Task Analyze_CronosExtensions_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Crontab("0 0 L * *")] private void A() { }
                [Crontab("0 0 LW * *")] private void B() { }
                [Crontab("0 0 15W * *")] private void C() { }
                [Crontab("0 0 * * 5L")] private void D() { }
                [Crontab("0 0 * * MON#2")] private void E() { }
                [Crontab("0 0 ? * MON")] private void F() { }
                [Crontab("0 22-2 * * *")] private void G() { }
                [Crontab("@every_minute")] private void H() { }
            }
            """);

    [Fact]
    public Task Analyze_SecondsFieldWithIncludeSeconds_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Crontab("*/10 * * * * *", IncludeSeconds = true)] private void A() { }
                [Crontab("30 0 9 * * MON-FRI", IncludeSeconds = true, TimeZone = "Europe/Paris")] private void B() { }
            }
            """);

    [Fact]
    public Task Analyze_SecondsFieldWithoutIncludeSeconds_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Crontab([|"*/10 * * * * *"|])] private void A() { }
                [Crontab([|"*/10 * * * * *"|], IncludeSeconds = false)] private void B() { }
            }
            """);

    [Fact]
    public Task Analyze_FiveFieldsWithIncludeSeconds_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Crontab([|"0 9 * * *"|], IncludeSeconds = true)] private void A() { }
            }
            """);

    [Fact]
    public Task Analyze_NeverFiresOrUnsupported_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class App : Service
            {
                [Crontab([|"0 0 30 2 *"|])] private void A() { }
                [Crontab([|"H * * * *"|])] private void B() { }
                [Crontab([|"@reboot"|])] private void C() { }
                [Crontab([|"0 0 * * MON#6"|])] private void D() { }
            }
            """);

    [Fact]
    public Task Analyze_SecondsFieldWithoutIncludeSeconds_MessageSaysHowToFix() =>
        ModeAnalyzerTest.VerifyAsync(
            """
            public partial class App : Service
            {
                [Crontab({|#0:"0 * * * * *"|})] private void Run() { }
            }
            """,
            ModeAnalyzerTest.Diagnostic(Id).WithLocation(0).WithMessage(
                "Invalid schedule on 'App.Run': Cron expression '0 * * * * *': it has 6 fields; a leading seconds field needs IncludeSeconds = true, otherwise use five: minute hour day-of-month month day-of-week."));
}
