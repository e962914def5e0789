using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Mode.Generators.Tests.Infrastructure;

/// <summary>What a test gives the generator, the same for <see cref="GeneratorTest"/> and <see cref="GeneratorRunner"/>.</summary>
/// <param name="Sources">The compilation's files.</param>
/// <param name="Library">The source of a library the compilation references (an assembly of its own), or null.</param>
/// <param name="RootNamespace">The project's <c>RootNamespace</c> as MSBuild passes it (<c>build_property.RootNamespace</c>), or null.</param>
internal sealed record GeneratorInput(string[] Sources, string? Library = null, string? RootNamespace = null)
{
    /// <summary>The library compiled to a reference (it must compile cleanly).</summary>
    public MetadataReference[] LibraryReferences()
    {
        if (Library is null)
        {
            return [];
        }

        var library = CSharpCompilation.Create(
            LibraryName,
            [CSharpSyntaxTree.ParseText(Library, GeneratorRunner.ParseOptions())],
            GeneratorTest.References,
            GeneratorRunner.CompilationOptions);
        GeneratorRunner.AssertClean(library, "library");
        // An image, as a built DLL is: a compilation reference would bring the library's own compiler
        // warnings into the test's.
        using var image = new MemoryStream();
        Assert.True(library.Emit(image).Success);
        return [MetadataReference.CreateFromImage(image.ToArray())];
    }

    /// <summary>The name of the library's assembly.</summary>
    public const string LibraryName = "Library";

    /// <summary>The MSBuild properties the compiler passes to generators, as a provider.</summary>
    public AnalyzerConfigOptionsProvider? OptionsProvider() =>
        RootNamespace is null ? null : new GlobalOptionsProvider(RootNamespace);

    private sealed class GlobalOptionsProvider(string rootNamespace) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(ImmutableDictionary<string, string>.Empty.Add("build_property.RootNamespace", rootNamespace));

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

        private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public static readonly Options Empty = new(ImmutableDictionary<string, string>.Empty);

            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }
}
