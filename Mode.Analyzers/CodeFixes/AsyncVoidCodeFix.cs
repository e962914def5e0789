using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace Mode.Analyzers.CodeFixes;

/// <summary>
/// MODE007: turns <c>async void</c> into <c>async Task</c>. Not offered when the signature is fixed
/// by something else: an override, an interface implementation, or a partial method.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AsyncVoidCodeFix))]
[Shared]
public sealed class AsyncVoidCodeFix : CodeFixProvider
{
    private const string EquivalenceKey = DiagnosticIds.AsyncVoidInService + ".ReturnTask";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.AsyncVoidInService);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent;
            var returnType = node switch
            {
                MethodDeclarationSyntax method => method.ReturnType,
                LocalFunctionStatementSyntax local => local.ReturnType,
                _ => null,
            };
            if (returnType is null
                || node is MethodDeclarationSyntax { ExplicitInterfaceSpecifier: not null }
                || model.GetDeclaredSymbol(node!, context.CancellationToken) is not IMethodSymbol symbol
                || !CanChangeReturnType(symbol))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Return Task instead of void",
                    ct => ReturnTaskAsync(context.Document, returnType, ct),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static bool CanChangeReturnType(IMethodSymbol method)
    {
        if (method.IsOverride || method.PartialDefinitionPart is not null || method.PartialImplementationPart is not null
            || !method.ExplicitInterfaceImplementations.IsEmpty)
        {
            return false;
        }

        var type = method.ContainingType;
        foreach (var implemented in type.AllInterfaces)
        {
            foreach (var member in implemented.GetMembers(method.Name))
            {
                if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static async Task<Document> ReturnTaskAsync(Document document, TypeSyntax returnType, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var task = editor.SemanticModel.Compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        if (task is null)
        {
            return document;
        }

        var taskType = editor.Generator.TypeExpression(task)
            .WithTriviaFrom(returnType)
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
        editor.ReplaceNode(returnType, taskType);
        return editor.GetChangedDocument();
    }
}
