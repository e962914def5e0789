using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Mode.Analyzers.Tests.Testing;

/// <summary>
/// The standard analyzer test (Microsoft.CodeAnalysis.Testing) set up for Mode: every Mode
/// analyzer runs, after the Mode generator, and the reported diagnostics (Mode's and compiler
/// errors) must be exactly the ones in the markup — nothing missing, nothing extra, including
/// diagnostics of rules other than the one under test. <c>[|...|]</c> marks a diagnostic of the rule
/// under test, <c>{|MODE009:...|}</c> one of another rule.
/// </summary>
internal sealed class ModeAnalyzerTest : CSharpAnalyzerTest<EmptyDiagnosticAnalyzer, DefaultVerifier>
{
    private readonly string _defaultId;

    public ModeAnalyzerTest(string defaultId)
    {
        _defaultId = defaultId;
        ReferenceAssemblies = ModeTestSetup.ReferenceAssemblies;
        ModeTestSetup.AddCommonState(TestState);
        // The generated wiring is the generator's business (its own snapshot tests); here it only
        // has to be there and compile.
        TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
    }

    /// <summary>Verifies the diagnostics of <paramref name="sources"/> (one file each).</summary>
    public static Task VerifyAsync(string defaultId, params string[] sources)
    {
        var test = new ModeAnalyzerTest(defaultId);
        foreach (var source in sources)
        {
            test.TestState.Sources.Add(source);
        }

        return test.RunAsync();
    }

    /// <summary>Verifies <paramref name="source"/> against <paramref name="expected"/> (for messages and locations by <c>{|#0:...|}</c>).</summary>
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new ModeAnalyzerTest(expected.Length > 0 ? expected[0].Id : DiagnosticIds.BlockingCallInAsyncHook) { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>An expected diagnostic of the Mode rule <paramref name="id"/>.</summary>
    public static DiagnosticResult Diagnostic(string id) => new(ModeTestSetup.Descriptor(id));

    protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => ModeTestSetup.Analyzers;

    protected override IEnumerable<Type> GetSourceGenerators() => ModeTestSetup.Generators;

    protected override DiagnosticDescriptor GetDefaultDiagnostic(DiagnosticAnalyzer[] analyzers) => ModeTestSetup.Descriptor(_defaultId);

    protected override ParseOptions CreateParseOptions() => ModeTestSetup.ParseOptions;

    protected override CompilationOptions CreateCompilationOptions() => ModeTestSetup.WithNullable(base.CreateCompilationOptions());
}
