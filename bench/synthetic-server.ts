#!/usr/bin/env node
/**
 * A stdio MCP server with realistic tool definitions for the context-cost, task and scale
 * benchmarks: names, descriptions and JSON Schemas modelled on the GitHub, filesystem, Slack,
 * Jira and Postgres MCP servers. Not the real servers: their calls are canned.
 *
 *   node dist/bench/synthetic-server.js [--tools N] [--offset K]   # N of the 50 definitions from K on
 *
 * `list_issues` returns `perPage` (default 20) issue records of ~300 bytes each, `create_issue`
 * answers with a new number; every other tool echoes its arguments.
 */
import { McpServer } from "@modelcontextprotocol/server";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Prop = readonly [type: string, description: string, extra?: { [key: string]: Json }];

interface ToolDef {
  name: string;
  description: string;
  inputSchema: { type: "object"; properties: { [key: string]: Json }; required: string[] };
}

function tool(
  name: string,
  description: string,
  props: Record<string, Prop>,
  required: string[] = [],
): ToolDef {
  const properties: { [key: string]: Json } = Object.fromEntries(
    Object.entries(props).map(([key, [type, desc, extra]]) => [key, { type, description: desc, ...extra }]),
  );
  return { name, description, inputSchema: { type: "object", properties, required } };
}

const owner: Prop = ["string", "Repository owner (user or organization)"];
const repo: Prop = ["string", "Repository name"];
const page: Prop = ["number", "Page number for pagination (min 1)", { minimum: 1 }];
const perPage: Prop = [
  "number",
  "Results per page for pagination (min 1, max 100)",
  { minimum: 1, maximum: 100 },
];
const path: Prop = ["string", "Absolute path inside one of the allowed directories"];
const channel: Prop = ["string", "The ID of the channel (for example C0123456789)"];
const issueKey: Prop = ["string", "Issue key, for example PROJ-123"];
const sql: Prop = ["string", "The SQL statement to run; only read-only statements are allowed"];
const strings = (description: string): Prop => ["array", description, { items: { type: "string" } }];

export const DEFINITIONS: readonly ToolDef[] = [
  tool(
    "list_issues",
    "List issues in a GitHub repository with filtering options. Returns title, state, labels, assignee and body of each issue.",
    {
      owner,
      repo,
      state: ["string", "Filter by state", { enum: ["open", "closed", "all"] }],
      labels: strings("Filter by labels"),
      sort: ["string", "Sort by", { enum: ["created", "updated", "comments"] }],
      direction: ["string", "Sort direction", { enum: ["asc", "desc"] }],
      since: ["string", "Only issues updated after this ISO 8601 timestamp"],
      page,
      perPage,
    },
    ["owner", "repo"],
  ),
  tool(
    "create_issue",
    "Create a new issue in a GitHub repository.",
    {
      owner,
      repo,
      title: ["string", "Issue title"],
      body: ["string", "Issue body content (Markdown)"],
      assignees: strings("Usernames to assign to this issue"),
      labels: strings("Labels to apply to this issue"),
      milestone: ["number", "Milestone number"],
    },
    ["owner", "repo", "title"],
  ),
  tool(
    "get_issue",
    "Get details of a specific issue in a GitHub repository, including its comments count and reactions.",
    { owner, repo, issue_number: ["number", "The number of the issue"] },
    ["owner", "repo", "issue_number"],
  ),
  tool(
    "update_issue",
    "Update an existing issue in a GitHub repository: title, body, state, labels, assignees or milestone.",
    {
      owner,
      repo,
      issue_number: ["number", "Issue number to update"],
      title: ["string", "New title"],
      body: ["string", "New description"],
      state: ["string", "New state", { enum: ["open", "closed"] }],
      labels: strings("New labels"),
      assignees: strings("New assignees"),
      milestone: ["number", "New milestone number"],
    },
    ["owner", "repo", "issue_number"],
  ),
  tool(
    "add_issue_comment",
    "Add a comment to a specific issue in a GitHub repository.",
    {
      owner,
      repo,
      issue_number: ["number", "Issue number to comment on"],
      body: ["string", "Comment content"],
    },
    ["owner", "repo", "issue_number", "body"],
  ),
  tool(
    "search_issues",
    "Search for issues and pull requests across GitHub repositories using GitHub's issue search syntax.",
    {
      q: ["string", "Search query using GitHub issues search syntax"],
      sort: ["string", "Sort field", { enum: ["comments", "reactions", "created", "updated"] }],
      order: ["string", "Sort order", { enum: ["asc", "desc"] }],
      page,
      perPage,
    },
    ["q"],
  ),
  tool(
    "get_pull_request",
    "Get details of a specific pull request, including its head and base branches, mergeability and review state.",
    { owner, repo, pullNumber: ["number", "Pull request number"] },
    ["owner", "repo", "pullNumber"],
  ),
  tool(
    "list_pull_requests",
    "List and filter repository pull requests.",
    {
      owner,
      repo,
      state: ["string", "Filter by state", { enum: ["open", "closed", "all"] }],
      head: ["string", "Filter by head user/org and branch"],
      base: ["string", "Filter by base branch"],
      sort: ["string", "Sort by", { enum: ["created", "updated", "popularity", "long-running"] }],
      page,
      perPage,
    },
    ["owner", "repo"],
  ),
  tool(
    "create_pull_request",
    "Create a new pull request in a GitHub repository.",
    {
      owner,
      repo,
      title: ["string", "PR title"],
      body: ["string", "PR description"],
      head: ["string", "Branch containing changes"],
      base: ["string", "Branch to merge into"],
      draft: ["boolean", "Create as draft PR"],
      maintainer_can_modify: ["boolean", "Allow maintainer edits"],
    },
    ["owner", "repo", "title", "head", "base"],
  ),
  tool(
    "merge_pull_request",
    "Merge a pull request in a GitHub repository.",
    {
      owner,
      repo,
      pullNumber: ["number", "Pull request number"],
      commit_title: ["string", "Title for merge commit"],
      commit_message: ["string", "Extra detail for merge commit"],
      merge_method: ["string", "Merge method", { enum: ["merge", "squash", "rebase"] }],
    },
    ["owner", "repo", "pullNumber"],
  ),
  tool(
    "get_file_contents",
    "Get the contents of a file or directory from a GitHub repository.",
    {
      owner,
      repo,
      path: ["string", "Path to file/directory"],
      branch: ["string", "Branch to get contents from"],
    },
    ["owner", "repo", "path"],
  ),
  tool(
    "create_or_update_file",
    "Create or update a single file in a GitHub repository. If updating, you must provide the SHA of the file you want to update.",
    {
      owner,
      repo,
      path: ["string", "Path where to create/update the file"],
      content: ["string", "Content of the file"],
      message: ["string", "Commit message"],
      branch: ["string", "Branch to create/update the file in"],
      sha: ["string", "SHA of file being replaced (for updates)"],
    },
    ["owner", "repo", "path", "content", "message", "branch"],
  ),
  tool(
    "list_commits",
    "Get list of commits of a branch in a GitHub repository.",
    {
      owner,
      repo,
      sha: ["string", "SHA or branch name"],
      author: ["string", "Author username or email address"],
      page,
      perPage,
    },
    ["owner", "repo"],
  ),
  tool(
    "create_branch",
    "Create a new branch in a GitHub repository.",
    {
      owner,
      repo,
      branch: ["string", "Name for new branch"],
      from_branch: ["string", "Source branch (defaults to repo default)"],
    },
    ["owner", "repo", "branch"],
  ),
  tool(
    "search_code",
    "Search for code across GitHub repositories using GitHub's code search syntax.",
    {
      q: ["string", "Search query using GitHub code search syntax"],
      sort: ["string", "Sort field ('indexed' only)"],
      order: ["string", "Sort order", { enum: ["asc", "desc"] }],
      page,
      perPage,
    },
    ["q"],
  ),
  tool(
    "read_text_file",
    "Read the complete contents of a file from the file system as text. Handles various text encodings and provides detailed error messages if the file cannot be read. Use the 'head' parameter to read only the first N lines of a file, or the 'tail' parameter to read only the last N lines. Only works within allowed directories.",
    {
      path,
      head: ["number", "If provided, returns only the first N lines of the file"],
      tail: ["number", "If provided, returns only the last N lines of the file"],
    },
    ["path"],
  ),
  tool(
    "read_multiple_files",
    "Read the contents of multiple files simultaneously. This is more efficient than reading files one by one when you need to analyze or compare multiple files. Each file's content is returned with its path as a reference. Failed reads for individual files won't stop the entire operation. Only works within allowed directories.",
    { paths: strings("Paths of the files to read") },
    ["paths"],
  ),
  tool(
    "write_file",
    "Create a new file or completely overwrite an existing file with new content. Use with caution as it will overwrite existing files without warning. Handles text content with proper encoding. Only works within allowed directories.",
    { path, content: ["string", "The full new content of the file"] },
    ["path", "content"],
  ),
  tool(
    "edit_file",
    "Make line-based edits to a text file. Each edit replaces exact line sequences with new content. Returns a git-style diff showing the changes made. Only works within allowed directories.",
    {
      path,
      edits: [
        "array",
        "Edits to apply in order",
        {
          items: {
            type: "object",
            properties: {
              oldText: { type: "string", description: "Text to search for - must match exactly" },
              newText: { type: "string", description: "Text to replace with" },
            },
            required: ["oldText", "newText"],
          },
        },
      ],
      dryRun: ["boolean", "Preview changes using git-style diff format"],
    },
    ["path", "edits"],
  ),
  tool(
    "create_directory",
    "Create a new directory or ensure a directory exists. Can create multiple nested directories in one operation. If the directory already exists, this operation will succeed silently. Only works within allowed directories.",
    { path },
    ["path"],
  ),
  tool(
    "list_directory",
    "Get a detailed listing of all files and directories in a specified path. Results clearly distinguish between files and directories with [FILE] and [DIR] prefixes. Only works within allowed directories.",
    { path },
    ["path"],
  ),
  tool(
    "directory_tree",
    "Get a recursive tree view of files and directories as a JSON structure. Each entry includes 'name', 'type' (file/directory), and 'children' for directories. Only works within allowed directories.",
    { path, excludePatterns: strings("Glob patterns to exclude") },
    ["path"],
  ),
  tool(
    "move_file",
    "Move or rename files and directories. Can move files between directories and rename them in a single operation. If the destination exists, the operation will fail. Only works within allowed directories.",
    { source: ["string", "Path to move from"], destination: ["string", "Path to move to"] },
    ["source", "destination"],
  ),
  tool(
    "search_files",
    "Recursively search for files and directories matching a pattern. Searches through all subdirectories from the starting path. Returns full paths to all matching items. Only searches within allowed directories.",
    {
      path,
      pattern: ["string", "Glob pattern to match"],
      excludePatterns: strings("Glob patterns to exclude"),
    },
    ["path", "pattern"],
  ),
  tool(
    "get_file_info",
    "Retrieve detailed metadata about a file or directory: size, creation time, last modified time, permissions and type. Only works within allowed directories.",
    { path },
    ["path"],
  ),
  tool("slack_list_channels", "List public or pre-defined channels in the workspace with pagination.", {
    limit: ["number", "Maximum number of channels to return (default 100, max 200)"],
    cursor: ["string", "Pagination cursor for next page of results"],
  }),
  tool(
    "slack_post_message",
    "Post a new message to a Slack channel.",
    { channel_id: channel, text: ["string", "The message text to post"] },
    ["channel_id", "text"],
  ),
  tool(
    "slack_reply_to_thread",
    "Reply to a specific message thread in Slack.",
    {
      channel_id: channel,
      thread_ts: ["string", "The timestamp of the parent message in the format '1234567890.123456'"],
      text: ["string", "The reply text"],
    },
    ["channel_id", "thread_ts", "text"],
  ),
  tool(
    "slack_add_reaction",
    "Add a reaction emoji to a message.",
    {
      channel_id: channel,
      timestamp: ["string", "The timestamp of the message to react to"],
      reaction: ["string", "The name of the emoji reaction (without ::)"],
    },
    ["channel_id", "timestamp", "reaction"],
  ),
  tool(
    "slack_get_channel_history",
    "Get recent messages from a channel.",
    { channel_id: channel, limit: ["number", "Number of messages to retrieve (default 10)"] },
    ["channel_id"],
  ),
  tool(
    "slack_get_thread_replies",
    "Get all replies in a message thread.",
    { channel_id: channel, thread_ts: ["string", "The timestamp of the parent message"] },
    ["channel_id", "thread_ts"],
  ),
  tool("slack_get_users", "Get a list of all users in the workspace with their basic profile information.", {
    cursor: ["string", "Pagination cursor for next page of results"],
    limit: ["number", "Maximum number of users to return (default 100, max 200)"],
  }),
  tool(
    "slack_get_user_profile",
    "Get detailed profile information for a specific user.",
    { user_id: ["string", "The ID of the user"] },
    ["user_id"],
  ),
  tool(
    "slack_search_messages",
    "Search messages across the workspace with Slack's search modifiers (in:, from:, before:, after:).",
    {
      query: ["string", "Search query"],
      count: ["number", "Results per page (max 100)"],
      sort: ["string", "Sort order", { enum: ["score", "timestamp"] }],
    },
    ["query"],
  ),
  tool(
    "slack_set_channel_topic",
    "Set the topic of a channel.",
    { channel_id: channel, topic: ["string", "The new topic"] },
    ["channel_id", "topic"],
  ),
  tool(
    "jira_search",
    "Search Jira issues using JQL (Jira Query Language). Returns key, summary, status, assignee and priority of each match.",
    {
      jql: ["string", "JQL query string, for example 'project = PROJ AND status = \"In Progress\"'"],
      fields: ["string", "Comma-separated fields to return"],
      limit: ["number", "Maximum number of results (1-50)", { minimum: 1, maximum: 50 }],
      startAt: ["number", "Index of the first result"],
    },
    ["jql"],
  ),
  tool(
    "jira_get_issue",
    "Get details of a specific Jira issue including its epic links, relationships and comments.",
    {
      issue_key: issueKey,
      fields: ["string", "Comma-separated fields to return"],
      expand: ["string", "Fields to expand, for example 'renderedFields,transitions'"],
      comment_limit: ["number", "Maximum number of comments to include"],
    },
    ["issue_key"],
  ),
  tool(
    "jira_create_issue",
    "Create a new Jira issue with optional epic link and custom fields.",
    {
      project_key: ["string", "The JIRA project key"],
      summary: ["string", "Summary/title of the issue"],
      issue_type: ["string", "Issue type (Task, Bug, Story, Epic, Subtask)"],
      assignee: ["string", "Assignee account ID, email or display name"],
      description: ["string", "Issue description"],
      components: ["string", "Comma-separated component names"],
      additional_fields: ["object", "Additional fields as a JSON object"],
    },
    ["project_key", "summary", "issue_type"],
  ),
  tool(
    "jira_update_issue",
    "Update an existing Jira issue including changing status, adding epic links and updating fields.",
    {
      issue_key: issueKey,
      fields: ["object", "Fields to update as a JSON object"],
      additional_fields: ["object", "Optional additional fields"],
      attachments: strings("File paths to attach"),
    },
    ["issue_key", "fields"],
  ),
  tool(
    "jira_transition_issue",
    "Transition a Jira issue to a new status.",
    {
      issue_key: issueKey,
      transition_id: ["string", "ID of the transition to perform"],
      fields: ["object", "Fields to update during the transition"],
      comment: ["string", "Comment to add during the transition"],
    },
    ["issue_key", "transition_id"],
  ),
  tool(
    "jira_add_comment",
    "Add a comment to a Jira issue.",
    { issue_key: issueKey, comment: ["string", "Comment text in Markdown format"] },
    ["issue_key", "comment"],
  ),
  tool(
    "jira_get_transitions",
    "Get available status transitions for a Jira issue.",
    { issue_key: issueKey },
    ["issue_key"],
  ),
  tool(
    "jira_get_project_issues",
    "Get all issues for a specific Jira project.",
    {
      project_key: ["string", "The project key"],
      limit: ["number", "Maximum number of results (1-50)"],
      startAt: ["number", "Index of the first result"],
    },
    ["project_key"],
  ),
  tool("jira_get_worklog", "Get worklog entries for a Jira issue.", { issue_key: issueKey }, ["issue_key"]),
  tool(
    "jira_add_worklog",
    "Add a worklog entry to a Jira issue.",
    {
      issue_key: issueKey,
      time_spent: ["string", "Time spent in Jira format, for example '1h 30m'"],
      comment: ["string", "Optional comment"],
      started: ["string", "Start time in ISO format"],
    },
    ["issue_key", "time_spent"],
  ),
  tool(
    "query",
    "Run a read-only SQL query against the connected PostgreSQL database and return the rows as JSON.",
    { sql },
    ["sql"],
  ),
  tool("list_schemas", "List all schemas in the database.", {}),
  tool(
    "list_objects",
    "List objects (tables, views, sequences, extensions) in a schema.",
    {
      schema_name: ["string", "Schema name"],
      object_type: ["string", "Object type", { enum: ["table", "view", "sequence", "extension"] }],
    },
    ["schema_name"],
  ),
  tool(
    "get_object_details",
    "Show detailed information about a database object: columns, constraints and indexes.",
    {
      schema_name: ["string", "Schema name"],
      object_name: ["string", "Object name"],
      object_type: ["string", "Object type", { enum: ["table", "view", "sequence", "extension"] }],
    },
    ["schema_name", "object_name"],
  ),
  tool(
    "explain_query",
    "Explain the execution plan for a SQL query, optionally with hypothetical indexes to test.",
    {
      sql,
      analyze: ["boolean", "When true, actually run the query to show real statistics"],
      hypothetical_indexes: [
        "array",
        "Indexes to simulate",
        {
          items: {
            type: "object",
            properties: { table: { type: "string" }, columns: { type: "array", items: { type: "string" } } },
          },
        },
      ],
    },
    ["sql"],
  ),
];

const LABELS = ["bug", "enhancement", "documentation", "good first issue", "performance", "security"];

/** `count` canned GitHub-like issues. */
export function issues(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({
    number: 1000 + i,
    title: `Issue ${i}: ${["crash on start", "slow list", "typo in docs", "add option", "leak under load"][i % 5]}`,
    state: i % 3 === 1 ? "closed" : "open",
    labels: [LABELS[i % LABELS.length], LABELS[(i + 2) % LABELS.length]],
    assignee: i % 4 === 0 ? null : `dev${i % 4}`,
    comments: (i * 13) % 17,
    created_at: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
    body: `Steps to reproduce: run the thing with option ${i}, observe the result, compare with the documentation. Expected the documented behaviour; got something else instead.`,
  }));
}

function answer(value: unknown) {
  return {
    content: [{ type: "text" as const, text: JSON.stringify(value) }],
    structuredContent: value as Record<string, unknown>,
  };
}

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}
// Beyond the 50 definitions, the list repeats them under suffixed names (`create_issue_2`, …), so
// that a few large servers can stand in for many small ones.
const count = Math.max(0, option("--tools", DEFINITIONS.length));
const offset = option("--offset", 0);
const listed = Array.from({ length: count }, (_, i) => {
  const def = DEFINITIONS[(offset + i) % DEFINITIONS.length] as ToolDef;
  const round = Math.floor(i / DEFINITIONS.length);
  return round === 0 ? def : { ...def, name: `${def.name}_${round + 1}` };
});

if (process.argv[1]?.endsWith("synthetic-server.js")) {
  const mcp = new McpServer({ name: "synthetic", version: "1.0.0" }, { capabilities: {} });
  mcp.server.registerCapabilities({ tools: {} });
  mcp.server.setRequestHandler("tools/list", () => ({ tools: listed }));
  let next = 5000;
  mcp.server.setRequestHandler("tools/call", (request) => {
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    if (request.params.name === "list_issues") return answer({ issues: issues(Number(args.perPage ?? 20)) });
    if (request.params.name === "create_issue") return answer({ number: next++, title: args.title });
    return answer({ ok: true, tool: request.params.name, arguments: args });
  });
  await mcp.connect(new StdioServerTransport());
}
