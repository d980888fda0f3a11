/// Failures of the runtime: weight files, binding, shapes. Loader messages follow the
/// "got […], expected […]" form so a mismatched weight file is diagnosed at a glance.
public enum RuntimeError: Error, Equatable, CustomStringConvertible {
    case io(path: String, function: String, errno: Int32, reason: String)
    case fileTooSmall(path: String, size: Int)
    case badHeader(path: String, reason: String)
    case badEntry(path: String, tensor: String, reason: String)
    case unsupportedDType(path: String, tensor: String, dtype: String)
    case missingTensor(path: String, tensor: String)
    case unexpectedTensors(path: String, tensors: [String])
    case shapeMismatch(tensor: String, got: [Int], expected: [Int])
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .io(let p, let f, let e, let r): return "\(p): \(r) (\(f), errno \(e))"
        case .fileTooSmall(let p, let s): return "\(p): not a safetensors file: got [\(s) bytes], expected [at least 8]"
        case .badHeader(let p, let r): return "\(p): bad safetensors header: \(r)"
        case .badEntry(let p, let t, let r): return "\(p): tensor '\(t)': \(r)"
        case .unsupportedDType(let p, let t, let d):
            return "\(p): tensor '\(t)': got [dtype \(d)], expected [F32, F16 or BF16]"
        case .missingTensor(let p, let t): return "\(p): missing tensor '\(t)'"
        case .unexpectedTensors(let p, let ts):
            return "\(p): unexpected tensors \(ts.prefix(8).map { "'\($0)'" }.joined(separator: ", "))"
                + (ts.count > 8 ? " and \(ts.count - 8) more" : "")
        case .shapeMismatch(let t, let g, let e): return "tensor '\(t)' has shape \(g), expected \(e)"
        case .invalidArgument(let m): return m
        }
    }
}
