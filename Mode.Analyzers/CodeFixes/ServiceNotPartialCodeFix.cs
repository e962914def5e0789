using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace Mode.Analyzers.CodeFixes;

/// <summary>MODE003: adds <c>partial</c> to the service class and to every containing type that lacks it.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ServiceNotPartialCodeFix))]
[Shared]
public sealed class ServiceNotPartialCodeFix : CodeFixProvider
{
    private const string EquivalenceKey = DiagnosticIds.ServiceNotPartial + ".AddPartial";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.ServiceNotPartial);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var declaration = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<TypeDeclarationSyntax>();
            if (declaration is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Make the service partial",
                    ct => AddPartialAsync(context.Document, declaration, ct),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> AddPartialAsync(Document document, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        for (SyntaxNode? node = declaration; node is not null; node = node.Parent)
        {
            if (node is TypeDeclarationSyntax type && !type.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                editor.ReplaceNode(type, static (current, _) =>
                {
                    var typeDeclaration = (TypeDeclarationSyntax)current;
                    var partialKeyword = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
                    if (typeDeclaration.Modifiers.Count == 0)
                    {
                        // "class C" -> "partial class C": the keyword's leading trivia moves to 'partial'.
                        var keyword = typeDeclaration.Keyword;
                        return typeDeclaration
                            .WithKeyword(keyword.WithLeadingTrivia())
                            .WithModifiers(SyntaxFactory.TokenList(partialKeyword.WithLeadingTrivia(keyword.LeadingTrivia)));
                    }

                    return typeDeclaration.WithModifiers(typeDeclaration.Modifiers.Add(partialKeyword));
                });
            }
        }

        return editor.GetChangedDocument();
    }
}
