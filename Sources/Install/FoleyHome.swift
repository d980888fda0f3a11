import Foundation

/// Where Foley's data lives at run time (Weights/, Themes/, Projects/demo): found from the
/// environment and the executable's own location, never from source paths, so a release
/// binary runs wherever it is installed and a checkout can move.
///
/// Order: $FOLEY_HOME; then the executable's folder and its parents (up to three levels), each
/// either holding Weights/ and Themes/ itself (a checkout: `.build/release/foley` finds the
/// repository; a portable folder) or share/foley (`make install PREFIX=…` puts the binary in
/// PREFIX/bin and the data in PREFIX/share/foley).
public enum FoleyHome {
    public enum Failure: Error, CustomStringConvertible {
        case notFound(looked: [String])
        case invalidHome(path: String)

        public var description: String {
            switch self {
            case .notFound(let looked):
                return "cannot find Foley's data (Weights/ and Themes/): got [none in \(looked.joined(separator: ", "))], expected [FOLEY_HOME set to a folder holding them, or an installed layout (make install PREFIX=…)]"
            case .invalidHome(let p):
                return "FOLEY_HOME: got [\(p)], expected [a folder holding Weights/ and Themes/]"
            }
        }
    }

    /// The data folder, or why there is none (every place looked at, in order).
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment,
                              executable: String = executablePath()) throws -> String {
        if let home = environment["FOLEY_HOME"], !home.isEmpty {
            guard holdsData(home) else { throw Failure.invalidHome(path: home) }
            return home
        }
        var looked: [String] = []
        var dir = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            for candidate in [dir.path, dir.appendingPathComponent("share/foley").path] {
                looked.append(candidate)
                if holdsData(candidate) { return candidate }
            }
            dir = dir.deletingLastPathComponent()
        }
        throw Failure.notFound(looked: looked)
    }

    /// The data folder, or "" when there is none: lookups of a file under it then fail with
    /// the file's own path in the message (the caller reports that).
    public static var directory: String { (try? locate()) ?? "" }

    static func holdsData(_ folder: String) -> Bool {
        var isDir: ObjCBool = false
        return ["Weights", "Themes"].allSatisfy {
            FileManager.default.fileExists(atPath: folder + "/" + $0, isDirectory: &isDir) && isDir.boolValue
        }
    }

    /// This process's executable (/proc/self/exe on Linux; argv[0] elsewhere).
    public static func executablePath() -> String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return CommandLine.arguments.first.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? "."
    }

    /// Where `foley open` without a path keeps the user's copy of the bundled demo:
    /// $XDG_DATA_HOME/foley/demo, else ~/.local/share/foley/demo.
    public static func userDemoFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return data + "/foley/demo"
    }
}
