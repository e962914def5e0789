using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Mode.Generators.Tests.Infrastructure;

/// <summary>
/// The standard source-generator test (Microsoft.CodeAnalysis.Testing) set up for Mode: the sources
/// are compiled against the .NET 10 reference assemblies and Mode.Runtime, <see cref="ServiceGenerator"/>
/// runs, and the test fails unless the generated files are exactly <c>TestState.GeneratedSources</c>
/// (none when it is empty) and the output compiles with no error and no warning.
/// </summary>
/// <remarks>
/// The reference assemblies come from the Basic.Reference.Assemblies.Net100 package, restored like any
/// other: <see cref="ReferenceAssemblies"/> names the framework but no package, so the library never
/// downloads one at test time.
/// </remarks>
internal sealed class GeneratorTest : CSharpSourceGeneratorTest<ServiceGenerator, DefaultVerifier>
{
    /// <summary>What every test compilation references; <see cref="GeneratorRunner"/> uses the same.</summary>
    public static readonly ImmutableArray<MetadataReference> References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(Service).Assembly.Location),
    ];

    public GeneratorTest()
    {
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(References);
        // Doc comments parsed but not checked, as in GeneratorRunner (CompilationTests check them).
        TestState.DocumentationMode = DocumentationMode.Parse;
        // Warnings too: generated code must not add any (users build with warnings as errors).
        CompilerDiagnostics = CompilerDiagnostics.Warnings;
    }

    /// <summary>A test of <paramref name="input"/>: its sources, its library as a referenced assembly, its root namespace as a global option.</summary>
    public static GeneratorTest For(GeneratorInput input)
    {
        var test = new GeneratorTest();
        foreach (var source in input.Sources)
        {
            test.WithSource(source);
        }

        test.TestState.AdditionalReferences.AddRange(input.LibraryReferences());

        if (input.RootNamespace is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\nbuild_property.RootNamespace = " + input.RootNamespace + "\n"));
        }

        return test;
    }

    /// <summary>Adds <paramref name="source"/> as the next test file (<c>/0/Test0.cs</c>, <c>/0/Test1.cs</c>, …).</summary>
    public GeneratorTest WithSource(string source)
    {
        TestState.Sources.Add(source);
        return this;
    }

    /// <summary>Expects the generator to produce <paramref name="hintName"/> with exactly <paramref name="text"/>.</summary>
    public GeneratorTest ExpectingFile(string hintName, string text)
    {
        TestState.GeneratedSources.Add((typeof(ServiceGenerator), hintName, text));
        return this;
    }

    protected override ParseOptions CreateParseOptions() => GeneratorRunner.ParseOptions();

    protected override CompilationOptions CreateCompilationOptions() => GeneratorRunner.CompilationOptions;
}
