using Microsoft.CodeAnalysis;
using Mode.Analyzers.CodeFixes;

namespace Mode.Analyzers.Tests.Testing;

/// <summary>
/// The set-up of the testing library: that a wrong expectation fails (so the analyzer tests can
/// fail), that every Mode analyzer runs, and that the references resolve without a download.
/// </summary>
public class ModeTestSetupTests
{
    [Fact]
    public Task Verify_MissingDiagnostic_Fails() =>
        Assert.ThrowsAnyAsync<Exception>(() => ModeAnalyzerTest.VerifyAsync(DiagnosticIds.ServiceNotPartial, """
            public partial class [|App|] : Service
            {
                [Task] private Task RunAsync() => Task.CompletedTask;
            }
            """));

    [Fact]
    public Task Verify_UnexpectedDiagnostic_Fails() =>
        Assert.ThrowsAnyAsync<Exception>(() => ModeAnalyzerTest.VerifyAsync(DiagnosticIds.ServiceNotPartial, """
            public class App : Service
            {
                [Task] private Task RunAsync() => Task.CompletedTask;
            }
            """));

    [Fact]
    public Task Verify_UnmarkedDiagnosticOfAnotherRule_Fails() =>
        Assert.ThrowsAnyAsync<Exception>(() => ModeAnalyzerTest.VerifyAsync(DiagnosticIds.ServiceNotPartial, """
            public partial class App : Service
            {
                [DependsOn] private readonly string _name = "";
            }
            """));

    [Fact]
    public Task Verify_SourceWithCompilerError_Fails() =>
        Assert.ThrowsAnyAsync<Exception>(() => ModeAnalyzerTest.VerifyAsync(DiagnosticIds.ServiceNotPartial, """
            public partial class App : Service
            {
                private int Broken() => "";
            }
            """));

    [Fact]
    public Task VerifyFix_WrongFixedSource_Fails() =>
        Assert.ThrowsAnyAsync<Exception>(() => ModeCodeFixTest<ServiceNotPartialCodeFix>.VerifyAsync(
            DiagnosticIds.ServiceNotPartial,
            "public class [|App|] : Service { [Task] private Task RunAsync() => Task.CompletedTask; }",
            "public sealed partial class App : Service { [Task] private Task RunAsync() => Task.CompletedTask; }"));

    [Fact]
    public async Task References_FrameworkAndRuntime_ResolveFromRestoredPackages()
    {
        // No package named: the library has nothing to download.
        Assert.Empty(await ModeTestSetup.ReferenceAssemblies.ResolveAsync(LanguageNames.CSharp, CancellationToken.None));

        var compilation = ModeTestSetup.CreateCompilation("""
            public partial class App : Service
            {
                private readonly System.Net.Http.HttpClient _http = new();

                [Task] private async Task RunAsync(CancellationToken cancellationToken) =>
                    await File.WriteAllTextAsync("a", await _http.GetStringAsync("http://localhost/", cancellationToken), cancellationToken);
            }
            """);

        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }
}
