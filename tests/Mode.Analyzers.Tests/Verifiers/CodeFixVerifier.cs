using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace Mode.Analyzers.Tests.Verifiers;

/// <summary>
/// Loads marked-up source into an <see cref="AdhocWorkspace"/>, applies a code fix and compares the
/// result with the expected source, three ways: one fix at a time until no fix is offered, Fix All in
/// the document and Fix All in the project. Then runs the analyzers again on the result: the Mode
/// diagnostics left must be exactly the ones marked up in <c>fixedMarkup</c> (usually none), and the
/// fixed source must compile.
/// </summary>
internal static class CodeFixVerifier
{
    public static async Task VerifyAsync<TFixer>(string defaultId, string markup, string fixedMarkup)
        where TFixer : CodeFixProvider, new()
    {
        await AnalyzerVerifier.VerifyAsync(defaultId, markup);
        var (source, _) = Markup.Parse(markup, defaultId);
        var (expected, _) = Markup.Parse(fixedMarkup, defaultId);
        var fixer = new TFixer();

        var oneByOne = await FixOneByOneAsync(fixer, source);
        AssertSameText(expected, oneByOne, "applying the fixes one by one");

        foreach (var scope in new[] { FixAllScope.Document, FixAllScope.Project })
        {
            var fixedAll = await FixAllAsync(fixer, source, scope);
            AssertSameText(expected, fixedAll, $"Fix All in {scope} scope");
        }

        await AnalyzerVerifier.VerifyAsync(defaultId, fixedMarkup);
    }

    /// <summary>Asserts that <typeparamref name="TFixer"/> offers no fix for any diagnostic of the source.</summary>
    public static async Task VerifyNoFixAsync<TFixer>(string defaultId, string markup)
        where TFixer : CodeFixProvider, new()
    {
        await AnalyzerVerifier.VerifyAsync(defaultId, markup);
        var (source, _) = Markup.Parse(markup, defaultId);
        var fixer = new TFixer();
        var document = CreateDocument(source);
        foreach (var diagnostic in await GetFixableDiagnosticsAsync(fixer, document))
        {
            var actions = await GetActionsAsync(fixer, document, diagnostic);
            Assert.True(actions.Count == 0, $"Expected no fix for {diagnostic}, got '{string.Join("', '", actions.Select(a => a.Title))}'.");
        }
    }

    private static async Task<string> FixOneByOneAsync(CodeFixProvider fixer, string source)
    {
        var document = CreateDocument(source);
        for (var round = 0; round < 50; round++)
        {
            CodeAction? action = null;
            foreach (var diagnostic in await GetFixableDiagnosticsAsync(fixer, document))
            {
                var actions = await GetActionsAsync(fixer, document, diagnostic);
                if (actions.Count > 0)
                {
                    Assert.False(string.IsNullOrEmpty(actions[0].EquivalenceKey), "Every code action needs an equivalence key.");
                    action = actions[0];
                    break;
                }
            }

            if (action is null)
            {
                return await TextOfAsync(document);
            }

            document = await ApplyAsync(action, document);
        }

        throw new InvalidOperationException("The fixes did not converge.");
    }

    private static async Task<string> FixAllAsync(CodeFixProvider fixer, string source, FixAllScope scope)
    {
        var document = CreateDocument(source);
        var diagnostics = await GetFixableDiagnosticsAsync(fixer, document);
        CodeAction? first = null;
        foreach (var diagnostic in diagnostics)
        {
            var actions = await GetActionsAsync(fixer, document, diagnostic);
            if (actions.Count > 0)
            {
                first = actions[0];
                break;
            }
        }

        if (first is null)
        {
            return await TextOfAsync(document);
        }

        var provider = fixer.GetFixAllProvider();
        Assert.NotNull(provider);
        Assert.Contains(scope, provider.GetSupportedFixAllScopes());
        var diagnosticProvider = new FixedDiagnosticProvider(diagnostics);
        var context = scope == FixAllScope.Document
            ? new FixAllContext(document, fixer, scope, first.EquivalenceKey, fixer.FixableDiagnosticIds, diagnosticProvider, CancellationToken.None)
            : new FixAllContext(document.Project, fixer, scope, first.EquivalenceKey, fixer.FixableDiagnosticIds, diagnosticProvider, CancellationToken.None);
        var fixAll = await provider.GetFixAsync(context);
        Assert.NotNull(fixAll);
        document = await ApplyAsync(fixAll, document);
        return await TextOfAsync(document);
    }

    private static async Task<Document> ApplyAsync(CodeAction action, Document document)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var apply = operations.OfType<ApplyChangesOperation>().Single();
        return apply.ChangedSolution.GetDocument(document.Id)!;
    }

    private static async Task<List<CodeAction>> GetActionsAsync(CodeFixProvider fixer, Document document, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None);
        await fixer.RegisterCodeFixesAsync(context);
        return actions;
    }

    private static async Task<ImmutableArray<Diagnostic>> GetFixableDiagnosticsAsync(CodeFixProvider fixer, Document document)
    {
        var compilation = await document.Project.GetCompilationAsync();
        var diagnostics = await AnalyzerVerifier.GetModeDiagnosticsAsync(compilation!);
        return [.. diagnostics
            .Where(d => fixer.FixableDiagnosticIds.Contains(d.Id) && d.Location.SourceTree?.FilePath == document.FilePath)
            .OrderBy(d => d.Location.SourceSpan.Start)];
    }

    private static Document CreateDocument(string source)
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(
                projectId,
                VersionStamp.Default,
                "TestProject",
                "TestAssembly",
                LanguageNames.CSharp,
                compilationOptions: TestCompilation.Options,
                parseOptions: TestCompilation.ParseOptions,
                metadataReferences: TestCompilation.References))
            .AddDocument(DocumentId.CreateNewId(projectId), "GlobalUsings.cs", SourceText.From(TestCompilation.GlobalUsings), filePath: "GlobalUsings.cs");
        var documentId = DocumentId.CreateNewId(projectId);
        solution = solution.AddDocument(documentId, "Test0.cs", SourceText.From(source), filePath: "Test0.cs");
        return solution.GetDocument(documentId)!;
    }

    private static async Task<string> TextOfAsync(Document document) =>
        (await document.GetTextAsync()).ToString();

    private static void AssertSameText(string expected, string actual, string how)
    {
        expected = expected.ReplaceLineEndings("\n");
        actual = actual.ReplaceLineEndings("\n");
        if (expected == actual)
        {
            return;
        }

        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        var line = 0;
        while (line < expectedLines.Length && line < actualLines.Length && expectedLines[line] == actualLines[line])
        {
            line++;
        }

        Assert.Fail(
            $"The source after {how} differs at line {line + 1}:\n" +
            $"  expected: {(line < expectedLines.Length ? expectedLines[line] : "<end>")}\n" +
            $"  actual:   {(line < actualLines.Length ? actualLines[line] : "<end>")}\n" +
            $"--- actual ---\n{actual}");
    }

    private sealed class FixedDiagnosticProvider(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            Task.FromResult(diagnostics.Where(d => d.Location.SourceTree?.FilePath == document.FilePath));

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>([]);
    }
}
