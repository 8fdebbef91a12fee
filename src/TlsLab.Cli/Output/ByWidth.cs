using Spectre.Console.Rendering;

namespace TlsLab.Cli.Output;

/// <summary>
/// A renderable that picks its layout from the width it is given when it is drawn, so whoever writes it (grade, grade
/// --watch, a test's console of a set width) gets the layout that fits without passing the width around.
/// </summary>
internal sealed class ByWidth(Func<int, IRenderable> layout) : IRenderable
{
    public Measurement Measure(RenderOptions options, int maxWidth) => layout(maxWidth).Measure(options, maxWidth);

    public IEnumerable<Segment> Render(RenderOptions options, int maxWidth) => layout(maxWidth).Render(options, maxWidth);
}
