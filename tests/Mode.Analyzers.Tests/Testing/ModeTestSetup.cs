using System.Collections.Immutable;
using System.Reflection;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Mode.Analyzers.Tests.Testing;

/// <summary>
/// What every test compilation here has: the .NET 10 reference assemblies, Mode.Runtime (so the
/// attribute and <c>Service</c> types resolve), C# latest with nullable on, and a file of global
/// usings so that test sources stay short.
/// </summary>
/// <remarks>
/// The reference assemblies come from the Basic.Reference.Assemblies.Net100 package, restored like
/// any other: <see cref="ReferenceAssemblies"/> names the framework but no package, so the testing
/// library never downloads one at test time (CI's machine has nothing but the SDK and the feed).
/// </remarks>
internal static class ModeTestSetup
{
    public const string GlobalUsingsPath = "/0/GlobalUsings.cs";

    public const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Mode;
        """;

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static readonly ReferenceAssemblies ReferenceAssemblies = new("net10.0");

    public static readonly ImmutableArray<MetadataReference> References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(Service).Assembly.Location),
    ];

    /// <summary>Every Mode analyzer and suppressor, as the package ships them.</summary>
    public static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers =
    [
        .. typeof(DiagnosticIds).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!),
    ];

    /// <summary>The Mode source generator, which runs before the analyzers as in a real build.</summary>
    public static readonly ImmutableArray<Type> Generators = [typeof(Mode.Generators.ServiceGenerator)];

    /// <summary>The library's default compilation options with nullable enabled, as in the repository.</summary>
    public static CompilationOptions WithNullable(CompilationOptions options) =>
        ((CSharpCompilationOptions)options).WithNullableContextOptions(NullableContextOptions.Enable);

    /// <summary>Gives <paramref name="state"/> the references and global usings of every test compilation.</summary>
    public static void AddCommonState(ProjectState state)
    {
        state.AdditionalReferences.AddRange(References);
        state.Sources.Add((GlobalUsingsPath, GlobalUsings));
    }

    /// <summary>The descriptor with <paramref name="id"/> among the Mode analyzers': what <c>[|...|]</c> means in a test.</summary>
    public static DiagnosticDescriptor Descriptor(string id) =>
        Analyzers.SelectMany(a => a.SupportedDiagnostics).First(d => d.Id == id);

    /// <summary>
    /// A compilation of <paramref name="sources"/> for the tests that drive Roslyn themselves
    /// (timings, suppressors), with the same references and usings as the verified tests.
    /// </summary>
    public static CSharpCompilation CreateCompilation(params string[] sources)
    {
        var trees = new List<SyntaxTree> { CSharpSyntaxTree.ParseText(GlobalUsings, ParseOptions, path: GlobalUsingsPath) };
        for (var i = 0; i < sources.Length; i++)
        {
            trees.Add(CSharpSyntaxTree.ParseText(sources[i], ParseOptions, path: $"/0/Test{i}.cs"));
        }

        return CSharpCompilation.Create(
            "TestProject",
            trees,
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }
}
