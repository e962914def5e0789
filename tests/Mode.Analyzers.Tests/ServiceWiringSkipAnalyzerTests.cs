using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Mode.Analyzers.Tests;

/// <summary>
/// MODE010, MODE011, MODE012: the service classes the generator skips for a reason no other rule
/// names, each with its near miss (the same shape without Mode attributes, or fixed). Markup:
/// <c>{|MODE010:Name|}</c> is the expected diagnostic at the class name.
/// </summary>
public sealed class ServiceWiringSkipAnalyzerTests
{
    [Fact]
    public Task Analyze_AnnotatedServiceWithHandWrittenConfigureWiring_ReportsMode010() =>
        VerifyAsync("""
            public partial class {|MODE010:App|} : Service
            {
                [Timer(10)] private void Tick() { }

                protected override void ConfigureWiring(ServiceWiring wiring) => base.ConfigureWiring(wiring);
            }
            """);

    [Fact]
    public Task Analyze_AnnotatedServiceWithMemberNamedConfigureWiring_ReportsMode010() =>
        VerifyAsync("""
            public partial class {|MODE010:App|} : Service
            {
                [DependsOn] private readonly Service? _child = null;

                private sealed class ConfigureWiring { }
            }
            """);

    [Fact]
    public Task Analyze_HandWrittenConfigureWiringWithoutAttributes_NoDiagnostic() =>
        VerifyAsync("""
            public partial class App : Service
            {
                private void Tick() { }

                protected override void ConfigureWiring(ServiceWiring wiring) => base.ConfigureWiring(wiring);
            }
            """);

    [Fact]
    public Task Analyze_BaseSealsConfigureWiring_ReportsMode011() =>
        VerifyAsync(
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
            new DiagnosticResult(DiagnosticDescriptors.ConfigureWiringNotOverridable).WithLocation(0).WithArguments("App", "Base", "sealed"));

    [Fact]
    public Task Analyze_BaseHidesConfigureWiringWithNonVirtualMethod_ReportsMode011() =>
        VerifyAsync(
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
            new DiagnosticResult(DiagnosticDescriptors.ConfigureWiringNotOverridable).WithLocation(0).WithArguments("App", "Base", "not virtual"));

    [Fact]
    public Task Analyze_SealedConfigureWiringFurtherUpButOverridableNearer_NoDiagnostic() =>
        // The nearest inherited ConfigureWiring decides: here a plain override below the sealed-free base.
        VerifyAsync("""
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
        VerifyAsync("""
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
        VerifyAsync(
            """
            file partial class {|#0:Cache|} : Service
            {
                [Timer(10)] private void Evict() { }
            }
            """,
            new DiagnosticResult(DiagnosticDescriptors.FileLocalService).WithLocation(0).WithArguments("Cache", string.Empty));

    [Fact]
    public Task Analyze_ServiceNestedInFileLocalType_ReportsMode012NamingTheContainer() =>
        VerifyAsync(
            """
            file partial class Holder
            {
                public partial class {|#0:Cache|} : Service
                {
                    [DependsOn] private readonly Service? _store = null;
                }
            }
            """,
            new DiagnosticResult(DiagnosticDescriptors.FileLocalService)
                .WithLocation(0)
                .WithArguments("Holder.Cache", " (it is nested in the file-local 'Holder')"));

    [Fact]
    public Task Analyze_FileLocalServiceWithoutAttributes_NoDiagnostic() =>
        VerifyAsync("""
            file sealed class Cache : Service
            {
                private void Evict() { }
            }
            """);

    [Fact]
    public Task Analyze_PrivateNestedService_NoDiagnostic() =>
        // The fix the message suggests: hidden, but not file-local.
        VerifyAsync("""
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
        VerifyAsync(
            """
            public interface IRunner { IService? Child { get; } }

            public partial class App : Service, IRunner
            {
                [DependsOn] IService? IRunner.{|#0:Child|} => null;
            }
            """,
            new DiagnosticResult(DiagnosticDescriptors.UnsupportedDependencyMember)
                .WithLocation(0)
                .WithArguments("property", "App.IRunner.Child", "an explicit interface implementation"));

    [Fact]
    public Task Analyze_DependsOnImplicitInterfaceImplementation_NoDiagnostic() =>
        VerifyAsync("""
            public interface IRunner { IService? Child { get; } }

            public partial class App : Service, IRunner
            {
                [DependsOn] public IService? Child => null;
            }
            """);

    private static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new WiringSkipTest { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>
    /// This rule's analyzer and MODE009's on the standard analyzer test, the generator running first
    /// as in a build; the references (.NET 10 from Basic.Reference.Assemblies, Mode.Runtime) and global
    /// usings every analyzer test here has.
    /// </summary>
    private sealed class WiringSkipTest : CSharpAnalyzerTest<ServiceWiringSkipAnalyzer, DefaultVerifier>
    {
        public WiringSkipTest()
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0");
            TestState.AdditionalReferences.AddRange(Net100.References.All);
            TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(Service).Assembly.Location));
            TestState.Sources.Add(("/0/GlobalUsings.cs", """
                global using System.Threading;
                global using System.Threading.Tasks;
                global using Mode;
                """));
            TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
        }

        protected override IEnumerable<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer> GetDiagnosticAnalyzers() =>
            [new ServiceWiringSkipAnalyzer(), new DependsOnMemberAnalyzer()];

        protected override IEnumerable<Type> GetSourceGenerators() => [typeof(Mode.Generators.ServiceGenerator)];

        protected override ParseOptions CreateParseOptions() => new CSharpParseOptions(LanguageVersion.Latest);

        protected override CompilationOptions CreateCompilationOptions() =>
            ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Enable);
    }
}
