using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Mode.Generators.Tests.Infrastructure;

namespace Mode.Generators.Tests;

/// <summary>
/// No silent skips: for every member marked <c>[Task]</c>, <c>[Timer]</c>, <c>[Crontab]</c> or
/// <c>[DependsOn]</c>, the generator wires it exactly when the Mode analyzers report no error on it (at
/// the member, or at its class or a containing type). The corpus is every shape of
/// <see cref="InvalidShapeTests"/> and the near misses below; a new skip condition in the generator
/// without a diagnostic, or a diagnostic on something the generator wires, fails here.
/// </summary>
public sealed class SkippedMemberDiagnosticsTests
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> s_analyzers =
    [
        .. typeof(Mode.Analyzers.DiagnosticIds).Assembly.GetTypes()
            .Where(static t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(static t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!),
    ];

    private static readonly string[] s_attributes = ["TaskAttribute", "TimerAttribute", "CrontabAttribute", "DependsOnAttribute"];

    public static TheoryData<string, string> Shapes
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var row in InvalidShapeTests.Sources)
            {
                data.Add((string)row[0], (string)row[1]);
            }

            data.Add("invalid members next to valid ones", """
                public partial class Mixed : Service
                {
                    [Task] private Task Valid() => Task.CompletedTask;
                    [Task] private static Task Static() => Task.CompletedTask;
                    [Task] private void VoidTask() { }
                    [Timer(1)] private int ReturnsInt() => 1;
                    [Timer(1)] private void Tick(CancellationToken ct) { }
                    [DependsOn] private readonly object _notAService = new();
                    [DependsOn] private readonly IService? _child = null;
                    [DependsOn] private static IService? StaticProperty => null;
                }
                """);
            data.Add("near miss: hand-written ConfigureWiring in the base, attributes in the derived class", """
                public abstract class Base : Service
                {
                    protected override void ConfigureWiring(ServiceWiring wiring) => base.ConfigureWiring(wiring);
                }

                public partial class Svc : Base
                {
                    [Task] private Task RunAsync() => Task.CompletedTask;
                }
                """);
            data.Add("near miss: private nested service instead of a file-local one", """
                public partial class Holder
                {
                    private partial class Hidden : Service
                    {
                        [Timer(1)] private void Tick() { }
                    }
                }
                """);
            data.Add("near miss: derived from a generated service", """
                public partial class Base : Service
                {
                    [Task] private Task RunAsync() => Task.CompletedTask;
                }

                public partial class Svc : Base
                {
                    [DependsOn] public IService? Child { get; init; }
                }
                """);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task AnnotatedMember_SkippedByGenerator_ExactlyWhenAnAnalyzerReportsAnError(string shape, string body)
    {
        var input = GeneratorRunner.CreateCompilation([$$"""
            using System;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using Mode;

            namespace App;

            {{body}}
            """]);
        GeneratorRunner.CreateDriver().RunGeneratorsAndUpdateCompilation(input, out var output, out _);
        var generated = string.Concat(output.SyntaxTrees.Skip(input.SyntaxTrees.Length).Select(static t => t.ToString()));
        var errors = (await output.WithAnalyzers(s_analyzers).GetAnalyzerDiagnosticsAsync())
            .Where(static d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("MODE", StringComparison.Ordinal))
            .ToArray();

        var failures = new List<string>();
        var members = AnnotatedMembers(input).ToArray();
        Assert.NotEmpty(members);
        foreach (var (member, spans) in members)
        {
            var wired = generated.Contains(")s)." + member.Name + "(", StringComparison.Ordinal) ||
                generated.Contains(")s)." + member.Name + ");", StringComparison.Ordinal);
            var reported = errors.Where(d => IsAbout(d, member, spans)).Select(static d => d.Id).ToArray();
            if (wired == (reported.Length > 0))
            {
                failures.Add(wired
                    ? $"'{member.Name}' is wired but has {string.Join(", ", reported)}"
                    : $"'{member.Name}' is skipped by the generator and no analyzer says why");
            }
        }

        Assert.True(failures.Count == 0, shape + ":\n" + string.Join("\n", failures));
    }

    /// <summary>Every field, property and method of the input that carries one of Mode's member attributes, with its declaration spans.</summary>
    private static IEnumerable<(ISymbol Member, SyntaxReference[] Declarations)> AnnotatedMembers(Compilation compilation)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                IEnumerable<ISymbol?> symbols = node switch
                {
                    FieldDeclarationSyntax field => field.Declaration.Variables.Select(v => model.GetDeclaredSymbol(v)),
                    PropertyDeclarationSyntax or MethodDeclarationSyntax => [model.GetDeclaredSymbol(node)],
                    _ => [],
                };
                foreach (var symbol in symbols)
                {
                    if (symbol is not null && symbol.GetAttributes().Any(static a => s_attributes.Contains(a.AttributeClass?.Name)))
                    {
                        yield return (symbol, [.. symbol.DeclaringSyntaxReferences]);
                    }
                }
            }
        }
    }

    /// <summary>Whether <paramref name="diagnostic"/> is on the member's declaration, or at the name of its class or a containing type.</summary>
    private static bool IsAbout(Diagnostic diagnostic, ISymbol member, SyntaxReference[] declarations)
    {
        var location = diagnostic.Location;
        foreach (var declaration in declarations)
        {
            var syntax = declaration.GetSyntax();
            var memberSyntax = syntax.AncestorsAndSelf().OfType<MemberDeclarationSyntax>().First();
            if (location.SourceTree == declaration.SyntaxTree && memberSyntax.Span.Contains(location.SourceSpan))
            {
                return true;
            }
        }

        for (var type = member.ContainingType; type is not null; type = type.ContainingType)
        {
            if (type.Locations.Contains(location))
            {
                return true;
            }
        }

        return false;
    }
}
