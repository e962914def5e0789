using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Mode.Generators;

namespace Mode.Generators.Tests.Infrastructure;

/// <summary>The result of running the generator over some sources.</summary>
/// <param name="Driver">The driver after the run; run it again to test incrementality.</param>
/// <param name="Input">The compilation the generator saw.</param>
/// <param name="Output">The compilation with the generated files added.</param>
/// <param name="Result">The generator's own run result.</param>
internal sealed record GeneratorRun(GeneratorDriver Driver, CSharpCompilation Input, Compilation Output, GeneratorRunResult Result)
{
    /// <summary>The generated files, by hint name.</summary>
    public IReadOnlyDictionary<string, string> Sources =>
        Result.GeneratedSources.ToDictionary(static s => s.HintName, static s => s.SourceText.ToString(), StringComparer.Ordinal);
}

/// <summary>
/// Compiles source strings against the .NET 10 reference assemblies and Mode.Runtime (as
/// <see cref="GeneratorTest"/> does), runs
/// <see cref="ServiceGenerator"/> with step tracking on, and checks that the result compiles.
/// </summary>
internal static class GeneratorRunner
{
    /// <summary>
    /// A library, nullable on, every warning level, deterministic; CS1701/CS1702 off as the SDK has them
    /// (Mode.Runtime is built for net8.0 and the references are net10.0's).
    /// </summary>
    public static readonly CSharpCompilationOptions CompilationOptions = new CSharpCompilationOptions(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        warningLevel: 9999,
        deterministic: true)
        .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]);

    /// <summary>Latest language version; documentation comments parsed (and checked when <paramref name="documentation"/>).</summary>
    public static CSharpParseOptions ParseOptions(bool documentation = false) =>
        new(LanguageVersion.Latest, documentation ? DocumentationMode.Diagnose : DocumentationMode.Parse);

    /// <summary>A library compilation of <paramref name="sources"/> (files <c>Source0.cs</c>, <c>Source1.cs</c>, …).</summary>
    public static CSharpCompilation CreateCompilation(IEnumerable<string> sources, bool documentation = false, IEnumerable<MetadataReference>? moreReferences = null)
    {
        var options = ParseOptions(documentation);
        var trees = sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, options, path: $"Source{i}.cs"));
        return CSharpCompilation.Create(
            "Mode.Generators.Tests.Input",
            trees,
            GeneratorTest.References.AddRange(moreReferences ?? []),
            CompilationOptions);
    }

    /// <summary>A driver with incremental step tracking, like the compiler's but observable.</summary>
    public static GeneratorDriver CreateDriver(bool documentation = false, AnalyzerConfigOptionsProvider? options = null) =>
        CSharpGeneratorDriver.Create(
            [new ServiceGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions(documentation),
            optionsProvider: options,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>
    /// Runs the generator over <paramref name="sources"/> and asserts: the input has no error without the
    /// generator, the generator neither threw nor reported anything, and the output compilation has
    /// no error and no warning (so a private <c>[DependsOn]</c> field unused by hand is fine: the
    /// generated code reads it).
    /// </summary>
    public static GeneratorRun Run(params string[] sources) => Run(sources, documentation: false);

    /// <inheritdoc cref="Run(string[])"/>
    public static GeneratorRun Run(IEnumerable<string> sources, bool documentation)
    {
        var compilation = CreateCompilation(sources, documentation);
        AssertNoErrors(compilation, "input");
        return Run(CreateDriver(documentation), compilation);
    }

    /// <inheritdoc cref="Run(string[])"/>
    public static GeneratorRun Run(GeneratorInput input)
    {
        var compilation = CreateCompilation(input.Sources, moreReferences: input.LibraryReferences());
        AssertNoErrors(compilation, "input");
        return Run(CreateDriver(options: input.OptionsProvider()), compilation);
    }

    /// <summary>Runs <paramref name="driver"/> (new or reused) over <paramref name="compilation"/> with the same checks.</summary>
    public static GeneratorRun Run(GeneratorDriver driver, CSharpCompilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = Assert.Single(driver.GetRunResult().Results);
        Assert.Null(result.Exception);
        Assert.Empty(diagnostics);
        Assert.Empty(result.Diagnostics);
        AssertClean(output, "output");
        return new GeneratorRun(driver, compilation, output, result);
    }

    /// <summary>Fails on any error in <paramref name="compilation"/>, listing them.</summary>
    public static void AssertNoErrors(Compilation compilation, string what) =>
        AssertNone(compilation, what, DiagnosticSeverity.Error);

    /// <summary>Fails on any error or warning in <paramref name="compilation"/>, listing them.</summary>
    public static void AssertClean(Compilation compilation, string what) =>
        AssertNone(compilation, what, DiagnosticSeverity.Warning);

    private static void AssertNone(Compilation compilation, string what, DiagnosticSeverity severity)
    {
        var problems = compilation.GetDiagnostics()
            .Where(d => d.Severity >= severity)
            .ToArray();
        if (problems.Length > 0)
        {
            var generated = compilation.SyntaxTrees
                .Where(static t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal))
                .Select(static t => $"--- {t.FilePath}\n{t}");
            Assert.Fail(
                $"The {what} compilation has {problems.Length} diagnostic(s):\n" +
                string.Join("\n", problems.Select(static d => d.ToString())) + "\n" +
                string.Join("\n", generated));
        }
    }
}
