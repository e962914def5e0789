using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Mode.Analyzers.Tests.Testing;

namespace Mode.Analyzers.Tests;

public class BackgroundMethodStaticSuppressorTests
{
    [Fact]
    public async Task Suppress_Ca1822OnBackgroundMethods_SuppressesOnlyThose()
    {
        var compilation = ModeTestSetup.CreateCompilation("""
            public partial class App : Service
            {
                [Task] private Task RunAsync() => Task.CompletedTask;
                [Timer(1)] private void Tick() { }
                [Crontab("@daily")] private void Daily() { }
                private void Helper() { }
            }
            """);
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), null, concurrentAnalysis: true, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: true);

        var diagnostics = await compilation
            .WithAnalyzers([new FakeMarkMembersAsStaticAnalyzer(), new BackgroundMethodStaticSuppressor()], options)
            .GetAnalyzerDiagnosticsAsync();

        var byMethod = diagnostics.Where(d => d.Id == "CA1822").ToDictionary(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), d => d.IsSuppressed);
        Assert.Equal(
            new Dictionary<string, bool> { ["RunAsync"] = true, ["Tick"] = true, ["Daily"] = true, ["Helper"] = false },
            byMethod);
    }

    // A test double, never loaded by a compiler: the rules for shipped analyzers don't apply.
#pragma warning disable RS1029, RS1036, RS1038, RS1041, RS2008

    /// <summary>Stands in for the real CA1822: reports every ordinary method, its name as the message.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class FakeMarkMembersAsStaticAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor s_rule = new("CA1822", "Mark members as static", "{0}", "Performance", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [s_rule];

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSymbolAction(
                c =>
                {
                    if (c.Symbol is IMethodSymbol { MethodKind: MethodKind.Ordinary } method)
                    {
                        c.ReportDiagnostic(Diagnostic.Create(s_rule, method.Locations[0], method.Name));
                    }
                },
                SymbolKind.Method);
        }
    }
#pragma warning restore RS1029, RS1036, RS1038, RS1041, RS2008
}
