using Mode.Analyzers.Tests.Testing;

namespace Mode.Analyzers.Tests;

/// <summary>
/// MODE010, MODE011, MODE012: the service classes the generator skips for a reason no other rule
/// names, each with its near miss (the same shape without Mode attributes, or fixed); and MODE009 on
/// an explicit interface implementation. Every Mode analyzer runs (<see cref="ModeAnalyzerTest"/>).
/// </summary>
public sealed class ServiceWiringSkipAnalyzerTests
{
    [Fact]
    public Task Analyze_AnnotatedServiceWithHandWrittenConfigureWiring_ReportsMode010() =>
        ModeAnalyzerTest.VerifyAsync(DiagnosticIds.ServiceDeclaresConfigureWiring, """
            public partial class {|MODE010:App|} : Service
            {
                [Timer(10)] private void Tick() { }

                protected override void ConfigureWiring(ServiceWiring wiring) => base.ConfigureWiring(wiring);
            }
            """);

    [Fact]
    public Task Analyze_AnnotatedServiceWithMemberNamedConfigureWiring_ReportsMode010() =>
        ModeAnalyzerTest.VerifyAsync(DiagnosticIds.ServiceDeclaresConfigureWiring, """
            public partial class {|MODE010:App|} : Service
            {
                [DependsOn] private readonly Service? _child = null;

                private sealed class ConfigureWiring { }
            }
            """);

    [Fact]
    public Task Analyze_HandWrittenConfigureWiringWithoutAttributes_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(DiagnosticIds.ServiceDeclaresConfigureWiring, """
            public partial class App : Service
            {
                private void Tick() { }

                protected override void ConfigureWiring(ServiceWiring wiring) => base.ConfigureWiring(wiring);
            }
            """);

    [Fact]
    public Task Analyze_BaseSealsConfigureWiring_ReportsMode011() =>
        ModeAnalyzerTest.VerifyAsync(
            """
            public abstract class Base : Service
            {
                protected sealed override void ConfigureWiring(ServiceWiring wiring) => base.ConfigureWiring(wiring);
            }

            public partial class {|#0:App|} : Base
            {
                [Task] private Task RunAsync() => Task.CompletedTask;
            }
            """,
            ModeAnalyzerTest.Diagnostic(DiagnosticIds.ConfigureWiringNotOverridable).WithLocation(0).WithArguments("App", "Base", "sealed"));

    [Fact]
    public Task Analyze_BaseHidesConfigureWiringWithNonVirtualMethod_ReportsMode011() =>
        ModeAnalyzerTest.VerifyAsync(
            """
            public abstract class Base : Service
            {
                protected new void ConfigureWiring(ServiceWiring wiring) { }
            }

            public sealed partial class {|#0:App|} : Base
            {
                [Timer(1)] private void Tick() { }
            }
            """,
            ModeAnalyzerTest.Diagnostic(DiagnosticIds.ConfigureWiringNotOverridable).WithLocation(0).WithArguments("App", "Base", "not virtual"));

    [Fact]
    public Task Analyze_OverridableConfigureWiringInheritedThroughAbstractClass_NoDiagnostic() =>
        // The nearest inherited ConfigureWiring decides: a hand-written, unsealed override two levels up.
        ModeAnalyzerTest.VerifyAsync(DiagnosticIds.ConfigureWiringNotOverridable, """
            public abstract class Base : Service
            {
                protected override void ConfigureWiring(ServiceWiring wiring) => base.ConfigureWiring(wiring);
            }

            public abstract class Middle : Base;

            public partial class App : Middle
            {
                [Task] private Task RunAsync() => Task.CompletedTask;
            }
            """);

    [Fact]
    public Task Analyze_DerivedFromSealingBaseWithoutAttributes_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(DiagnosticIds.ConfigureWiringNotOverridable, """
            public abstract class Base : Service
            {
                protected sealed override void ConfigureWiring(ServiceWiring wiring) => base.ConfigureWiring(wiring);
            }

            public class App : Base
            {
                private Task RunAsync() => Task.CompletedTask;
            }
            """);

    [Fact]
    public Task Analyze_FileLocalService_ReportsMode012() =>
        ModeAnalyzerTest.VerifyAsync(
            """
            file partial class {|#0:Cache|} : Service
            {
                [Timer(10)] private void Evict() { }
            }
            """,
            ModeAnalyzerTest.Diagnostic(DiagnosticIds.FileLocalService).WithLocation(0).WithArguments("Cache", string.Empty));

    [Fact]
    public Task Analyze_ServiceNestedInFileLocalType_ReportsMode012NamingTheContainer() =>
        ModeAnalyzerTest.VerifyAsync(
            """
            file partial class Holder
            {
                public partial class {|#0:Cache|} : Service
                {
                    [DependsOn] private readonly Service? _store = null;
                }
            }
            """,
            ModeAnalyzerTest.Diagnostic(DiagnosticIds.FileLocalService)
                .WithLocation(0)
                .WithArguments("Holder.Cache", " (it is nested in the file-local 'Holder')"));

    [Fact]
    public Task Analyze_FileLocalServiceWithoutAttributes_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(DiagnosticIds.FileLocalService, """
            file sealed class Cache : Service
            {
                private void Evict() { }
            }
            """);

    [Fact]
    public Task Analyze_PrivateNestedService_NoDiagnostic() =>
        // The fix the message suggests: hidden, but not file-local.
        ModeAnalyzerTest.VerifyAsync(DiagnosticIds.FileLocalService, """
            public partial class Holder
            {
                private partial class Cache : Service
                {
                    [Timer(10)] private void Evict() { }
                }
            }
            """);

    [Fact]
    public Task Analyze_DependsOnExplicitInterfaceImplementation_ReportsMode009() =>
        ModeAnalyzerTest.VerifyAsync(
            """
            public interface IRunner { IService? Child { get; } }

            public partial class App : Service, IRunner
            {
                [DependsOn] IService? IRunner.{|#0:Child|} => null;
            }
            """,
            ModeAnalyzerTest.Diagnostic(DiagnosticIds.UnsupportedDependencyMember)
                .WithLocation(0)
                .WithArguments("property", "App.IRunner.Child", "an explicit interface implementation"));

    [Fact]
    public Task Analyze_DependsOnImplicitInterfaceImplementation_NoDiagnostic() =>
        ModeAnalyzerTest.VerifyAsync(DiagnosticIds.UnsupportedDependencyMember, """
            public interface IRunner { IService? Child { get; } }

            public partial class App : Service, IRunner
            {
                [DependsOn] public IService? Child => null;
            }
            """);
}
