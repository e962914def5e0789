using Mode.Analyzers.CodeFixes;
using Mode.Analyzers.Tests.Testing;

namespace Mode.Analyzers.Tests;

public class ServiceNotPartialAnalyzerTests
{
    private const string Id = DiagnosticIds.ServiceNotPartial;

    [Fact]
    public Task Analyze_TaskMethodInNonPartialService_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public class [|App|] : Service
            {
                [Task] private Task RunAsync() => Task.CompletedTask;
            }
            """);

    [Fact]
    public Task Analyze_DependsOnFieldInNonPartialService_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class Cache : Service;

            public sealed class [|App|] : Service
            {
                [DependsOn] private readonly Cache _cache = new();
            }
            """);

    [Fact]
    public Task Analyze_PartialServiceInNonPartialContainingType_Reports() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public static class Outer
            {
                public partial class [|App|] : Service
                {
                    [Timer(1)] private void Tick() { }
                }
            }
            """);

    [Fact]
    public Task Analyze_CrontabInNestedNonPartialChain_ReportsOncePerService() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            namespace Ns;

            public class Outer
            {
                public class [|Middle|] : Service
                {
                    [Timer(5)] private void Tick() { }

                    public class [|App|] : Service
                    {
                        [Task] private Task RunAsync() => Task.CompletedTask;
                    }
                }
            }
            """);

    [Fact]
    public Task Analyze_PartialServiceAndContainers_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public static partial class Outer
            {
                public partial class App : Service
                {
                    [Task] private Task RunAsync() => Task.CompletedTask;
                }
            }
            """);

    [Fact]
    public Task Analyze_NonPartialServiceWithoutAttributes_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public sealed class App : Service
            {
                private Task RunAsync() => Task.CompletedTask;
            }
            """);

    [Fact]
    public Task Analyze_NonPartialDerivedFromAnnotatedPartialService_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public partial class Base : Service
            {
                [Task] private Task RunAsync() => Task.CompletedTask;
            }

            public sealed class Derived : Base;
            """);

    [Fact]
    public Task Analyze_NonPartialNonService_ReportsOnlyMode004() =>
        ModeAnalyzerTest.VerifyAsync(Id, """
            public class {|MODE004:Plain|}
            {
                [Task] private Task RunAsync() => Task.CompletedTask;
            }
            """);

    [Fact]
    public Task Fix_NonPartialService_AddsPartial() =>
        ModeCodeFixTest<ServiceNotPartialCodeFix>.VerifyAsync(Id, """
            public sealed class [|App|] : Service
            {
                [Task] private Task RunAsync() => Task.CompletedTask;
            }
            """, """
            public sealed partial class App : Service
            {
                [Task] private Task RunAsync() => Task.CompletedTask;
            }
            """);

    [Fact]
    public Task Fix_NoModifiersAndAttribute_AddsPartialBeforeClassKeyword() =>
        ModeCodeFixTest<ServiceNotPartialCodeFix>.VerifyAsync(Id, """
            namespace Ns
            {
                [System.Obsolete]
                class [|App|] : Service
                {
                    [DependsOn] private readonly Service? _child = null;
                }
            }
            """, """
            namespace Ns
            {
                [System.Obsolete]
                partial class App : Service
                {
                    [DependsOn] private readonly Service? _child = null;
                }
            }
            """);

    [Fact]
    public Task Fix_NonPartialContainingTypes_AddsPartialToEachType() =>
        ModeCodeFixTest<ServiceNotPartialCodeFix>.VerifyAsync(Id, """
            public static class Outer
            {
                internal class Middle
                {
                    public class [|App|] : Service
                    {
                        [Task] private Task RunAsync() => Task.CompletedTask;
                    }
                }
            }
            """, """
            public static partial class Outer
            {
                internal partial class Middle
                {
                    public partial class App : Service
                    {
                        [Task] private Task RunAsync() => Task.CompletedTask;
                    }
                }
            }
            """);

    [Fact]
    public Task FixAll_TwoServicesSharingAContainer_AddsPartialOnce() =>
        ModeCodeFixTest<ServiceNotPartialCodeFix>.VerifyAsync(Id, """
            public class Outer
            {
                public class [|First|] : Service
                {
                    [Task] private Task RunAsync() => Task.CompletedTask;
                }

                public class [|Second|] : Service
                {
                    [Timer(1)] private void Tick() { }
                }
            }
            """, """
            public partial class Outer
            {
                public partial class First : Service
                {
                    [Task] private Task RunAsync() => Task.CompletedTask;
                }

                public partial class Second : Service
                {
                    [Timer(1)] private void Tick() { }
                }
            }
            """);
}
