import Foundation

/// Runs a program to completion and captures its output (tests and benches only).
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

public enum Subprocess {
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> ProcessResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
        p.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
        if let environment { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // Read both pipes concurrently so a chatty program cannot fill one and block.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return ProcessResult(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs and throws with the program's stderr when it fails.
    @discardableResult
    public static func check(_ executable: String, _ arguments: [String]) throws -> String {
        let r = try run(executable, arguments)
        guard r.status == 0 else { throw TestHelperError.commandFailed(([executable] + arguments).joined(separator: " "), r.stderr) }
        return r.stdout
    }
}

public enum TestHelperError: Error, CustomStringConvertible {
    case commandFailed(String, String)
    case fixture(String)
    public var description: String {
        switch self {
        case .commandFailed(let c, let e): return "command failed: \(c)\n\(e)"
        case .fixture(let m): return m
        }
    }
}
