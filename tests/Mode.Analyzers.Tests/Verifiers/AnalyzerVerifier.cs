using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Mode.Analyzers.Tests.Verifiers;

/// <summary>
/// Runs every Mode analyzer over marked-up sources and requires the reported Mode diagnostics to be
/// exactly the marked ones: nothing missing, nothing extra. The sources must compile;
/// the Mode generators (if any) run first, as in a real build, and when no diagnostic is expected
/// the generated code must compile too.
/// </summary>
internal static class AnalyzerVerifier
{
    private static readonly Lazy<ImmutableArray<DiagnosticAnalyzer>> s_analyzers = new(() =>
    [
        .. typeof(DiagnosticIds).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!),
    ]);

    private static readonly Lazy<ImmutableArray<ISourceGenerator>> s_generators = new(LoadGenerators);

    public static ImmutableArray<DiagnosticAnalyzer> Analyzers => s_analyzers.Value;

    /// <summary>Verifies the diagnostics of <paramref name="markupSources"/>; <c>[|...|]</c> means <paramref name="defaultId"/>.</summary>
    public static async Task VerifyAsync(string defaultId, params string[] markupSources)
    {
        var parsed = markupSources.Select(s => Markup.Parse(s, defaultId)).ToArray();
        var compilation = TestCompilation.Create([.. parsed.Select(p => p.Source)]);
        AssertNoCompilerErrors(compilation, "the test source");

        var analyzed = RunGenerators(compilation);
        if (parsed.All(p => p.Spans.Count == 0))
        {
            AssertNoCompilerErrors(analyzed, "the test source with the generated code");
        }

        var diagnostics = await GetModeDiagnosticsAsync(analyzed);
        var expected = new List<(string Path, ExpectedSpan Span)>();
        for (var i = 0; i < parsed.Length; i++)
        {
            expected.AddRange(parsed[i].Spans.Select(s => (compilation.SyntaxTrees.ElementAt(i + 1).FilePath, s)));
        }

        AssertSame(expected, diagnostics, compilation);
    }

    public static async Task<ImmutableArray<Diagnostic>> GetModeDiagnosticsAsync(Compilation compilation)
    {
        var withAnalyzers = compilation.WithAnalyzers(
            Analyzers,
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions([]),
                onAnalyzerException: null,
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false,
                reportSuppressedDiagnostics: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        var exceptions = diagnostics.Where(d => d.Id == "AD0001").ToList();
        Assert.True(exceptions.Count == 0, "An analyzer threw:\n" + string.Join("\n", exceptions));
        return [.. diagnostics.Where(d => d.Id.StartsWith("MODE", StringComparison.Ordinal))];
    }

    public static Compilation RunGenerators(Compilation compilation)
    {
        // Escape hatch while the generator is young: MODE_ANALYZER_TESTS_SKIP_GENERATOR=1 analyzes
        // the sources alone.
        if (s_generators.Value.IsEmpty || Environment.GetEnvironmentVariable("MODE_ANALYZER_TESTS_SKIP_GENERATOR") == "1")
        {
            return compilation;
        }

        var driver = CSharpGeneratorDriver.Create(s_generators.Value, parseOptions: TestCompilation.ParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return output;
    }

    public static void AssertNoCompilerErrors(Compilation compilation, string what)
    {
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, $"Compiler errors in {what}:\n" + string.Join("\n", errors));
    }

    private static void AssertSame(
        List<(string Path, ExpectedSpan Span)> expected,
        ImmutableArray<Diagnostic> actual,
        Compilation compilation)
    {
        var actualSet = actual
            .Select(d => (Path: d.Location.SourceTree?.FilePath ?? "<no source>", Span: new ExpectedSpan(d.Id, d.Location.SourceSpan), Diagnostic: d))
            .ToList();
        var missing = expected.Where(e => !actualSet.Any(a => a.Path == e.Path && a.Span == e.Span)).ToList();
        var extra = actualSet.Where(a => !expected.Any(e => e.Path == a.Path && e.Span == a.Span)).ToList();
        if (missing.Count == 0 && extra.Count == 0 && expected.Count == actualSet.Count)
        {
            return;
        }

        var message = new StringBuilder("The Mode diagnostics differ from the markup.\n");
        foreach (var (path, span) in missing)
        {
            message.Append("  missing: ").Append(span.Id).Append(" at ").Append(path).Append(' ').Append(Describe(compilation, path, span.Span)).Append('\n');
        }

        foreach (var (path, _, diagnostic) in extra)
        {
            message.Append("  extra:   ").Append(diagnostic.Id).Append(" at ").Append(path).Append(' ')
                .Append(Describe(compilation, path, diagnostic.Location.SourceSpan)).Append(": ").Append(diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        if (missing.Count == 0 && extra.Count == 0)
        {
            message.Append("  (a diagnostic was reported more than once)\n").AppendJoin('\n', actual);
        }

        Assert.Fail(message.ToString());
    }

    private static string Describe(Compilation compilation, string path, TextSpan span)
    {
        var tree = compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == path);
        if (tree is null)
        {
            return span.ToString();
        }

        var line = tree.GetLineSpan(span).StartLinePosition;
        return $"({line.Line + 1},{line.Character + 1}) '{tree.GetText().ToString(span)}'";
    }

    private static ImmutableArray<ISourceGenerator> LoadGenerators()
    {
        var assembly = Assembly.Load("Mode.Generators");
        var generators = ImmutableArray.CreateBuilder<ISourceGenerator>();
        foreach (var type in assembly.GetTypes().Where(t => !t.IsAbstract && t.GetCustomAttribute<GeneratorAttribute>() is not null))
        {
            var instance = Activator.CreateInstance(type);
            if (instance is IIncrementalGenerator incremental)
            {
                generators.Add(incremental.AsSourceGenerator());
            }
            else if (instance is ISourceGenerator generator)
            {
                generators.Add(generator);
            }
        }

        return generators.ToImmutable();
    }
}
