namespace Bench.Simulator.Profiles;

/// <summary>
/// The value rules of a <see cref="ModelProfile"/>, one method per field, reporting JSON paths. The loader applies
/// each rule as it reads a field; <see cref="Validate"/> applies them all to profiles built in code.
/// </summary>
internal static class ProfileValidator
{
    /// <summary>Checks every field of <paramref name="profile"/>.</summary>
    public static void Validate(ModelProfile profile, ProfileErrors errors)
    {
        CheckModel(profile.Model, errors);
        CheckTimeToFirstToken(profile.TimeToFirstToken, errors);
        CheckDecodeRate(profile.DecodeTokensPerSecond, errors);
        if (profile.Replay is null)
        {
            CheckOutputTokens(profile.OutputTokens, errors);
        }

        CheckTokensPerChunk(profile.TokensPerChunk, errors);
        CheckDecodeJitter(profile.DecodeJitterCv, errors);
        CheckFaults(profile.Faults, errors);
        CheckCapacity(profile.Capacity, errors);
    }

    public static void CheckModel(string? model, ProfileErrors errors)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            errors.Add("$.model", "must be a non-empty model id");
        }
    }

    public static void CheckTimeToFirstToken(TtftDistribution? ttft, ProfileErrors errors)
    {
        if (ttft is null)
        {
            errors.Add("$.ttft_ms", "is required");
        }
        else if (ttft.IsFixed)
        {
            if (!(ttft.MeanMs >= 0) || !double.IsFinite(ttft.MeanMs))
            {
                errors.Add("$.ttft_ms.fixed", "must be a finite number of milliseconds ≥ 0");
            }
        }
        else if (!(ttft.MeanMs > 0) || !double.IsFinite(ttft.MeanMs))
        {
            errors.Add("$.ttft_ms.mean", "must be a finite number of milliseconds > 0");
        }
        else if (LogNormal.CheckMeanAndP95(ttft.MeanMs, ttft.P95Ms!.Value) is { } reason)
        {
            errors.Add("$.ttft_ms.p95", reason);
        }
    }

    public static void CheckDecodeRate(double tokensPerSecond, ProfileErrors errors)
    {
        if (!(tokensPerSecond > 0) || !double.IsFinite(tokensPerSecond))
        {
            errors.Add("$.decode_tokens_per_s", "must be a finite number of tokens per second > 0");
        }
    }

    public static void CheckOutputTokens(OutputLength length, ProfileErrors errors)
    {
        if (!(length.MeanTokens >= 1) || !double.IsFinite(length.MeanTokens))
        {
            errors.Add("$.output_tokens.mean", "must be a finite number of tokens ≥ 1");
        }

        if (!(length.SdTokens >= 0) || !double.IsFinite(length.SdTokens))
        {
            errors.Add("$.output_tokens.sd", "must be a finite number of tokens ≥ 0");
        }
    }

    public static void CheckTokensPerChunk(int tokensPerChunk, ProfileErrors errors)
    {
        if (tokensPerChunk < 1)
        {
            errors.Add("$.tokens_per_chunk", "must be an integer ≥ 1");
        }
    }

    public static void CheckDecodeJitter(double cv, ProfileErrors errors)
    {
        if (!(cv >= 0) || !double.IsFinite(cv))
        {
            errors.Add("$.decode_jitter_cv", "must be a finite coefficient of variation ≥ 0");
        }
    }

    public static void CheckFaults(FaultRates? faults, ProfileErrors errors)
    {
        if (faults is null)
        {
            errors.Add("$.faults", "must be an object");
            return;
        }

        var valid = CheckProbability(faults.RateLimited, "$.faults.rate_limited", errors)
            & CheckProbability(faults.ServerError, "$.faults.server_error", errors)
            & CheckProbability(faults.StreamInterrupted, "$.faults.stream_interrupted", errors);
        if (valid && faults.RateLimited + faults.ServerError + faults.StreamInterrupted > 1)
        {
            errors.Add("$.faults", "the probabilities must sum to at most 1");
        }
    }

    public static void CheckCapacity(CapacityLimit? capacity, ProfileErrors errors)
    {
        if (capacity is not null && capacity.MaxConcurrent < 1)
        {
            errors.Add("$.capacity.max_concurrent", "must be an integer ≥ 1");
        }
    }

    private static bool CheckProbability(double value, string path, ProfileErrors errors)
    {
        if (value is >= 0 and <= 1)
        {
            return true;
        }

        errors.Add(path, "must be a probability between 0 and 1");
        return false;
    }
}
