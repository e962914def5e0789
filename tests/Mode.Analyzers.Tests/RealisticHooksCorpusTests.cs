using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Mode.Analyzers.Tests.Testing;
using Xunit.Abstractions;

namespace Mode.Analyzers.Tests;

/// <summary>
/// MODE002 and MODE007 on <c>Corpus/RealisticHooks.cs</c>, a data set of services written the way
/// users write them: each case is a service whose hooks either block (or run async void) or do not.
/// Recall and false alarms are printed per kind (run with <c>--logger "console;verbosity=detailed"</c>)
/// and must stay at every blocking case found and no false alarm.
/// </summary>
public partial class RealisticHooksCorpusTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Analyze_RealisticHooks_FindsEveryBlockingHookWithoutFalseAlarms()
    {
        string source;
        using (var stream = typeof(RealisticHooksCorpusTests).Assembly.GetManifestResourceStream("Corpus.RealisticHooks.cs")!)
        using (var reader = new StreamReader(stream))
        {
            source = await reader.ReadToEndAsync();
        }

        var compilation = ModeTestSetup.CreateCompilation(source);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var diagnostics = await compilation
            .WithAnalyzers(ModeTestSetup.Analyzers, new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), null, concurrentAnalysis: true, logAnalyzerExecutionTime: false))
            .GetAnalyzerDiagnosticsAsync();
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");

        var tree = compilation.SyntaxTrees.Last();
        var text = (await tree.GetTextAsync()).ToString();
        var cases = new List<(string Name, bool Blocking, string Kind, bool Reported)>();
        foreach (var type in (await tree.GetRootAsync()).DescendantNodes().OfType<ClassDeclarationSyntax>())
        {
            var line = tree.GetLineSpan(type.Span).StartLinePosition.Line;
            var match = CaseLine().Match(text.Split('\n')[line - 1]);
            if (!match.Success)
            {
                continue;
            }

            var reported = diagnostics.Any(d => d.Id is DiagnosticIds.BlockingCallInAsyncHook or DiagnosticIds.AsyncVoidInService
                && d.Location.SourceTree == tree && type.Span.Contains(d.Location.SourceSpan));
            cases.Add((type.Identifier.ValueText, match.Groups[1].Value == "blocking", match.Groups[2].Value, reported));
        }

        var report = new StringBuilder();
        foreach (var group in cases.GroupBy(c => (c.Blocking, c.Kind)))
        {
            var hits = group.Count(c => c.Reported);
            report.Append(CultureInfo.InvariantCulture, $"{(group.Key.Blocking ? "blocking" : "clean"),-9} {group.Key.Kind,-18} {(group.Key.Blocking ? "found" : "false alarms")} {hits}/{group.Count()}");
            var odd = group.Where(c => c.Reported != c.Blocking).Select(c => c.Name).ToList();
            report.Append(odd.Count > 0 ? " (" + string.Join(", ", odd) + ")\n" : "\n");
        }

        var blocking = cases.Where(c => c.Blocking).ToList();
        var clean = cases.Where(c => !c.Blocking).ToList();
        report.Append(CultureInfo.InvariantCulture, $"total: found {blocking.Count(c => c.Reported)}/{blocking.Count} blocking hooks, {clean.Count(c => c.Reported)} false alarms on {clean.Count} clean ones");
        output.WriteLine(report.ToString());

        Assert.True(blocking.Count >= 45 && clean.Count >= 15, report.ToString());
        Assert.True(cases.All(c => c.Reported == c.Blocking), report.ToString());
    }

    [GeneratedRegex(@"^// CASE (blocking|clean) ([a-z-]+):")]
    private static partial Regex CaseLine();
}
