public enum DSPError: Error, Equatable, CustomStringConvertible {
    case invalidParameter(name: String, got: String, expected: String)
    case shapeMismatch(what: String, got: [Int], expected: [Int])
    case fftwPlanFailed(size: Int)

    public var description: String {
        switch self {
        case .invalidParameter(let n, let g, let e): return "\(n): got [\(g)], expected [\(e)]"
        case .shapeMismatch(let w, let g, let e): return "\(w) has shape \(g), expected \(e)"
        case .fftwPlanFailed(let n): return "fftwf_plan_dft_r2c_1d failed for size \(n)"
        }
    }
}
