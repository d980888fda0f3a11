import Foundation

/// The path policy for what a project file names. Clips may live anywhere (the user chose them
/// with `foley new`), but what the project owns and Foley writes or reads back — takes, stems —
/// must stay inside the project folder, and ids reach file names only through `fileComponent`.
public enum ProjectPaths {
    /// The one sanitiser from an id or name to a file-name component: letters, digits and '-'
    /// kept, everything else (/, ., spaces, control characters) becomes '-', at most 80
    /// characters, never empty.
    public static func fileComponent(_ s: String) -> String {
        let mapped = String(s.prefix(80).map { $0.isLetter || ($0.isASCII && $0.isNumber) || $0 == "-" ? $0 : "-" })
        return mapped.isEmpty ? "-" : mapped
    }
}

extension ProjectStore {
    /// `path` (as a project file names a take's audio) resolved inside the project folder, or an
    /// error naming it: an absolute path, a `..` step or a symbolic link leading outside is refused.
    public func owned(_ path: String) throws -> String {
        let outside = ProjectError.outsideProject(path: path, project: folder)
        guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else { throw outside }
        let root = URL(fileURLWithPath: folder).resolvingSymlinksInPath().standardizedFileURL.path
        let real = URL(fileURLWithPath: folder + "/" + path).resolvingSymlinksInPath().standardizedFileURL.path
        guard real.hasPrefix(root + "/") else { throw outside }
        return real
    }
}
