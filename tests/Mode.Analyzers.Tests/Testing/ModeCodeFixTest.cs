using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Mode.Analyzers.Tests.Testing;

/// <summary>
/// The standard code-fix test (Microsoft.CodeAnalysis.Testing) set up like
/// <see cref="ModeAnalyzerTest"/>: the markup's diagnostics are verified, then the fix is applied one
/// diagnostic at a time until none is left, and with Fix All in document, project and solution scope;
/// each result must equal the fixed source, whose own diagnostics must be the ones marked in it
/// (usually none) and which must compile.
/// </summary>
internal sealed class ModeCodeFixTest<TCodeFix> : CSharpCodeFixTest<EmptyDiagnosticAnalyzer, TCodeFix, DefaultVerifier>
    where TCodeFix : CodeFixProvider, new()
{
    private readonly string _defaultId;

    public ModeCodeFixTest(string defaultId)
    {
        _defaultId = defaultId;
        ReferenceAssemblies = ModeTestSetup.ReferenceAssemblies;
        ModeTestSetup.AddCommonState(TestState);
        ModeTestSetup.AddCommonState(FixedState);
        TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
    }

    /// <summary>Verifies that the fix turns <paramref name="source"/> into <paramref name="fixedSource"/>.</summary>
    public static Task VerifyAsync(string defaultId, string source, string fixedSource)
    {
        var test = new ModeCodeFixTest<TCodeFix>(defaultId);
        test.TestState.Sources.Add(source);
        test.FixedState.Sources.Add(fixedSource);
        return test.RunAsync();
    }

    /// <summary>Verifies the diagnostics of <paramref name="source"/> and that no fix is offered for any of them.</summary>
    public static Task VerifyNoFixAsync(string defaultId, string source) => VerifyAsync(defaultId, source, source);

    protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => ModeTestSetup.Analyzers;

    protected override IEnumerable<Type> GetSourceGenerators() => ModeTestSetup.Generators;

    protected override DiagnosticDescriptor GetDefaultDiagnostic(DiagnosticAnalyzer[] analyzers) => ModeTestSetup.Descriptor(_defaultId);

    protected override ParseOptions CreateParseOptions() => ModeTestSetup.ParseOptions;

    protected override CompilationOptions CreateCompilationOptions() => ModeTestSetup.WithNullable(base.CreateCompilationOptions());
}
