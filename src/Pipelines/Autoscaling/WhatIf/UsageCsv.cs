using System.Globalization;

namespace TensorFusion.Pipelines.Autoscaling.WhatIf;

/// <summary>
/// Reads usage samples from CSV with the header <c>timestamp,worker,tflops,vram_bytes</c>. Timestamps are RFC 3339
/// (with an offset or Z) or Unix seconds. Every bad row is reported with its line number; blank lines are skipped.
/// </summary>
public static class UsageCsv
{
    public const string Header = "timestamp,worker,tflops,vram_bytes";

    public static UsageCsvResult Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var samples = new List<UsageCsvRow>();
        var errors = new List<string>();
        var header = reader.ReadLine();
        if (header is null || !string.Equals(header.Trim().TrimStart('\uFEFF'), Header, StringComparison.Ordinal))
        {
            errors.Add($"{source} line 1: expected the header '{Header}', got '{header ?? "(empty file)"}'");
            return new UsageCsvResult(samples, errors);
        }

        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (TryParseRow(line, lineNumber, out var sample, out var problem))
            {
                samples.Add(sample);
            }
            else
            {
                errors.Add($"{source} line {lineNumber}: {problem}");
            }
        }

        return new UsageCsvResult(samples, errors);
    }

    private static bool TryParseRow(string line, int lineNumber, out UsageCsvRow sample, out string? problem)
    {
        sample = default;
        var fields = line.Split(',');
        if (fields.Length != 4)
        {
            problem = $"expected 4 fields (timestamp,worker,tflops,vram_bytes), got {fields.Length}";
            return false;
        }

        var worker = fields[1].Trim();
        if (!TryParseTime(fields[0].Trim(), out var time, out problem))
        {
            return false;
        }

        if (worker.Length == 0)
        {
            problem = "worker is empty";
            return false;
        }

        if (!TryParseAmount("tflops", fields[2], out var tflops, out problem) || !TryParseAmount("vram_bytes", fields[3], out var vram, out problem))
        {
            return false;
        }

        sample = new UsageCsvRow(lineNumber, time, worker, tflops, vram);
        return true;
    }

    private static bool TryParseTime(string text, out DateTimeOffset time, out string? problem)
    {
        problem = null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            if (seconds is >= 0 and < 253_402_300_800) // up to year 9999
            {
                time = DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
                return true;
            }

            time = default;
            problem = $"timestamp '{text}' is out of range for Unix seconds";
            return false;
        }

        // RFC 3339 needs an explicit offset: a bare local time would silently depend on the machine's zone.
        var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        if (hasOffset && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out time))
        {
            return true;
        }

        time = default;
        problem = $"timestamp '{text}' is neither RFC 3339 with an offset (2026-03-02T10:00:00Z) nor Unix seconds";
        return false;
    }

    private static bool TryParseAmount(string column, string text, out double value, out string? problem)
    {
        problem = null;
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value >= 0 && double.IsFinite(value))
        {
            return true;
        }

        problem = $"{column} '{text.Trim()}' is not a non-negative number";
        return false;
    }
}
