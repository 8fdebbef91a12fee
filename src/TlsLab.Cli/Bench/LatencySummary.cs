namespace TlsLab.Cli.Bench;

/// <summary>Percentiles of a set of durations (nearest rank), in milliseconds.</summary>
public sealed record LatencySummary(int Count, double Min, double P50, double P90, double P99, double Max, double Mean)
{
    /// <summary>No samples.</summary>
    public static LatencySummary Empty { get; } = new(0, 0, 0, 0, 0, 0, 0);

    /// <summary>Summarises <paramref name="samples"/> (not modified).</summary>
    public static LatencySummary From(IReadOnlyCollection<TimeSpan> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            return Empty;
        }

        var sorted = samples.Select(s => s.TotalMilliseconds).Order().ToArray();
        return new LatencySummary(
            sorted.Length,
            sorted[0],
            Percentile(sorted, 50),
            Percentile(sorted, 90),
            Percentile(sorted, 99),
            sorted[^1],
            sorted.Average());
    }

    /// <summary>The nearest-rank percentile of an ascending array: the smallest value with at least p% of samples at or below it.</summary>
    public static double Percentile(IReadOnlyList<double> ascending, double p)
    {
        ArgumentNullException.ThrowIfNull(ascending);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ascending.Count, 0);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(p);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 100);
        var rank = (int)Math.Ceiling(p / 100 * ascending.Count);
        return ascending[Math.Clamp(rank, 1, ascending.Count) - 1];
    }
}
