"""Every interface string of the dashboard, in Vietnamese (first) and English.

``TEXTS`` maps a key to ``{"vi": ..., "en": ...}``; ``t(key, lang, **params)`` returns the
text with ``{name}`` placeholders filled in. A key that is not in the table raises
``KeyError``: the tests scan every page for literal keys, so a missing string is caught
before it reaches a user. Numbers and dates passed as parameters should already be
formatted by :mod:`metrics.fmt`.

Keys are grouped by a dotted prefix: ``app.``, ``page.``, ``control.``, ``lang.``, ``grain.``,
``status.``, ``source_status.``, ``sharing.``, ``task_status.``, ``level.``, ``format.``,
``direction.``, ``metric.``, ``chart.``, ``overview.``, ``units.``, ``tasks.``, ``data.``,
``present.``, ``download.``, ``error.``, ``common.``.
"""

from __future__ import annotations

import string

from metrics.status import STATUS_LABELS
from sources.problems import Lang

LANGS: tuple[str, ...] = ("vi", "en")

TEXTS: dict[str, dict[str, str]] = {
    # ----------------------------------------------------------------- application
    "app.title": {
        "vi": "Bảng điều hành thực hiện Nghị quyết 57",
        "en": "Resolution 57 leadership dashboard",
    },
    # ----------------------------------------------------------------- pages
    "page.overview": {"vi": "Tổng quan", "en": "Overview"},
    "page.metric": {"vi": "Chỉ số", "en": "Metric"},
    "page.units": {"vi": "Đơn vị", "en": "Units"},
    "page.unit": {"vi": "Đơn vị", "en": "Unit"},
    "page.tasks": {"vi": "Nhiệm vụ", "en": "Tasks"},
    "page.data": {"vi": "Dữ liệu", "en": "Data"},
    "page.present": {"vi": "Trình chiếu", "en": "Present"},
    "page.directives": {"vi": "Ý kiến chỉ đạo", "en": "Directives"},
    "page.definitions": {"vi": "Định nghĩa chỉ số", "en": "Definitions"},
    # ----------------------------------------------------------------- controls
    "control.as_of": {"vi": "Ngày số liệu", "en": "As of"},
    "control.as_of_help": {
        "vi": "Số liệu được tính đến hết ngày này",
        "en": "Figures are computed up to the end of this day",
    },
    "control.grain": {"vi": "Kỳ báo cáo", "en": "Period"},
    "control.periods": {"vi": "Số kỳ hiển thị", "en": "Periods shown"},
    "control.theme": {"vi": "Chủ đề", "en": "Theme"},
    "control.metric": {"vi": "Chỉ số", "en": "Metric"},
    "control.unit_kind": {"vi": "Loại đơn vị", "en": "Unit type"},
    "control.breakdown": {"vi": "Phân tích theo", "en": "Break down by"},
    "control.show": {"vi": "Hiển thị", "en": "Show"},
    "control.all": {"vi": "Tất cả", "en": "All"},
    "control.ignored": {
        "vi": "Đường dẫn ghi “{value}” cho “{param}”, giá trị này không dùng được; "
        "đang hiển thị giá trị mặc định.",
        "en": "The link says “{value}” for “{param}”, which cannot be used; "
        "showing the default instead.",
    },
    # ----------------------------------------------------------------- languages
    "lang.vi": {"vi": "Tiếng Việt", "en": "Tiếng Việt"},
    "lang.en": {"vi": "English", "en": "English"},
    # ----------------------------------------------------------------- grains
    "grain.day": {"vi": "Ngày", "en": "Day"},
    "grain.week": {"vi": "Tuần", "en": "Week"},
    "grain.month": {"vi": "Tháng", "en": "Month"},
    "grain.quarter": {"vi": "Quý", "en": "Quarter"},
    "grain.half": {"vi": "6 tháng", "en": "Half-year"},
    "grain.year": {"vi": "Năm", "en": "Year"},
    # ----------------------------------------------------------------- metric status
    # the status words are the engine's own (metrics.status), the same in the CLI and on pages
    **{f"status.{status}": words for status, words in STATUS_LABELS.items()},
    "card.own_period": {"vi": "Số liệu: {period}", "en": "Figures for: {period}"},
    "status.label": {"vi": "Trạng thái", "en": "Status"},
    # ----------------------------------------------------------------- source health
    "source_status.ok": {"vi": "Cập nhật đúng hạn", "en": "Up to date"},
    "source_status.late": {"vi": "Chậm cập nhật", "en": "Late"},
    "source_status.stale": {"vi": "Dữ liệu quá cũ", "en": "Stale"},
    "source_status.failed": {"vi": "Không đọc được", "en": "Failed"},
    "source_status.refused": {"vi": "Từ chối chia sẻ", "en": "Refused"},
    "source_status.unknown": {"vi": "Chưa rõ ngày cập nhật", "en": "Update date unknown"},
    "source_status.label": {"vi": "Tình trạng nguồn", "en": "Source status"},
    # ----------------------------------------------------------------- data sharing
    "sharing.connected": {"vi": "Đã kết nối", "en": "Connected"},
    "sharing.pending": {"vi": "Đang chờ kết nối", "en": "Pending"},
    "sharing.refused": {"vi": "Từ chối chia sẻ", "en": "Refused"},
    "sharing.label": {"vi": "Chia sẻ dữ liệu", "en": "Data sharing"},
    # ----------------------------------------------------------------- tasks and directives
    "task_status.done": {"vi": "Đã hoàn thành", "en": "Done"},
    "task_status.done_late": {"vi": "Hoàn thành quá hạn", "en": "Done late"},
    "task_status.in_progress": {"vi": "Đang thực hiện", "en": "In progress"},
    "task_status.overdue": {"vi": "Quá hạn", "en": "Overdue"},
    "task_status.not_started": {"vi": "Chưa triển khai", "en": "Not started"},
    "task_status.done_on_time": {"vi": "Hoàn thành đúng hạn", "en": "Done on time"},
    "level.central": {"vi": "Trung ương chỉ đạo", "en": "Central direction"},
    "level.city": {"vi": "Thành phố chỉ đạo", "en": "City direction"},
    "level.city_party": {"vi": "Thành ủy chỉ đạo", "en": "City Party Committee"},
    "level.city_people": {"vi": "UBND Thành phố chỉ đạo", "en": "City People's Committee"},
    # ----------------------------------------------------------------- dimensions and their values
    "dimension.unit": {"vi": "Đơn vị", "en": "Unit"},
    "dimension.receiving_unit": {"vi": "Đơn vị tiếp nhận", "en": "Receiving unit"},
    "dimension.group": {"vi": "Nhóm nhiệm vụ", "en": "Task group"},
    "dimension.level": {"vi": "Cấp chỉ đạo", "en": "Directed by"},
    "dimension.sharing": {"vi": "Tình trạng chia sẻ", "en": "Sharing status"},
    "dimension.procedure": {"vi": "Thủ tục hành chính", "en": "Procedure"},
    "dimension.channel": {"vi": "Kênh", "en": "Channel"},
    "dimension.program": {"vi": "Chương trình chi", "en": "Budget programme"},
    "dimension.service": {"vi": "Dịch vụ", "en": "Service"},
    "channel.online": {"vi": "Trực tuyến", "en": "Online"},
    "channel.direct": {"vi": "Trực tiếp", "en": "In person"},
    "channel.postal": {"vi": "Bưu chính", "en": "By post"},
    "channel.sms": {"vi": "Tin nhắn SMS", "en": "SMS"},
    "channel.kiosk": {"vi": "Ki-ốt", "en": "Kiosk"},
    "channel.electronic": {"vi": "Hệ thống điện tử", "en": "Electronic system"},
    "channel.paper": {"vi": "Văn bản giấy", "en": "Paper"},
    "channel.outside": {"vi": "Ngoài hệ thống", "en": "Outside the system"},
    "cadence.daily": {"vi": "Hằng ngày", "en": "Daily"},
    "cadence.weekly": {"vi": "Hằng tuần", "en": "Weekly"},
    "cadence.monthly": {"vi": "Hằng tháng", "en": "Monthly"},
    "cadence.quarterly": {"vi": "Hằng quý", "en": "Quarterly"},
    "cadence.yearly": {"vi": "Hằng năm", "en": "Yearly"},
    # ----------------------------------------------------------------- metric formats
    "format.percent": {"vi": "Tỷ lệ (%)", "en": "Percent"},
    "format.count": {"vi": "Số lượng", "en": "Count"},
    "format.number": {"vi": "Giá trị số", "en": "Number"},
    "format.vnd": {"vi": "Số tiền (đồng)", "en": "Amount (VND)"},
    "format.days": {"vi": "Số ngày", "en": "Days"},
    "format.score": {"vi": "Điểm", "en": "Score"},
    "direction.up": {"vi": "Càng cao càng tốt", "en": "Higher is better"},
    "direction.down": {"vi": "Càng thấp càng tốt", "en": "Lower is better"},
    # ----------------------------------------------------------------- one metric
    "metric.value": {"vi": "Kết quả", "en": "Value"},
    "metric.target": {"vi": "Mục tiêu", "en": "Target"},
    "metric.target_value": {"vi": "Mục tiêu: {target}", "en": "Target: {target}"},
    "metric.expected": {"vi": "Mức cần đạt đến nay", "en": "Expected by now"},
    "metric.expected_value": {
        "vi": "Mức cần đạt đến nay: {expected}",
        "en": "Expected by now: {expected}",
    },
    "metric.tolerance": {"vi": "Ngưỡng cảnh báo", "en": "Tolerance"},
    "metric.delta_prev": {"vi": "So với kỳ trước", "en": "vs previous period"},
    "metric.delta_prev_value": {
        "vi": "{delta} so với kỳ trước",
        "en": "{delta} vs previous period",
    },
    "metric.delta_prev_year": {
        "vi": "{delta} so với năm trước",
        "en": "{delta} vs previous year",
    },
    "metric.better": {"vi": "tốt lên", "en": "better"},
    "metric.worse": {"vi": "xấu đi", "en": "worse"},
    "metric.by_period": {"vi": "Theo kỳ", "en": "By period"},
    "metric.click_to_drill": {
        "vi": "Bấm vào một thanh để mở trang của đơn vị đó.",
        "en": "Click a bar to open that unit's page.",
    },
    "metric.target_path": {
        "vi": "{start} ngày {start_date}, tăng đều đến {end} ngày {end_date}",
        "en": "{start} on {start_date}, moving evenly to {end} by {end_date}",
    },
    "metric.target_by_year": {"vi": "Theo năm: {items}", "en": "By year: {items}"},
    "metric.derived_from": {"vi": "Tính từ các chỉ số", "en": "Derived from"},
    "metric.ranked_by": {
        "vi": "Xếp hạng {shown} trên {total} giá trị, tốt nhất ở trên",
        "en": "{shown} of {total} values ranked, best at the top",
    },
    "metric.period": {"vi": "Kỳ", "en": "Period"},
    "metric.trend": {"vi": "Diễn biến theo thời gian", "en": "Trend"},
    "metric.breakdown": {"vi": "Phân tích theo {dimension}", "en": "Breakdown by {dimension}"},
    "metric.top_n": {"vi": "{n} đơn vị dẫn đầu", "en": "Top {n}"},
    "metric.bottom_n": {"vi": "{n} đơn vị cuối bảng", "en": "Bottom {n}"},
    "metric.data_table": {"vi": "Bảng số liệu", "en": "Data table"},
    "metric.definition": {"vi": "Định nghĩa", "en": "Definition"},
    "metric.formula": {"vi": "Công thức tính", "en": "Formula"},
    "metric.filter": {"vi": "Điều kiện lọc", "en": "Row filter"},
    "metric.source": {"vi": "Nguồn dữ liệu", "en": "Source"},
    "metric.owner": {"vi": "Đơn vị chủ trì", "en": "Owner"},
    "metric.theme": {"vi": "Chủ đề", "en": "Theme"},
    "metric.format": {"vi": "Định dạng", "en": "Format"},
    "metric.direction": {"vi": "Chiều đánh giá", "en": "Direction"},
    "metric.dimensions": {"vi": "Chiều phân tích", "en": "Dimensions"},
    "metric.file": {"vi": "Tệp cấu hình", "en": "File"},
    "metric.file_line": {"vi": "{file}, dòng {line}", "en": "{file}, line {line}"},
    "metric.freshness": {"vi": "Độ cập nhật của dữ liệu", "en": "Data freshness"},
    "metric.no_breakdown": {
        "vi": "Chỉ số này không có chiều phân tích",
        "en": "This metric has no breakdown",
    },
    # ----------------------------------------------------------------- charts
    "chart.value": {"vi": "Kết quả", "en": "Actual"},
    "chart.target": {"vi": "Mục tiêu", "en": "Target"},
    "chart.expected": {"vi": "Lộ trình mục tiêu", "en": "Target path"},
    "chart.lateness": {"vi": "Số ngày chậm cập nhật", "en": "Days behind schedule"},
    "chart.lateness_days": {"vi": "chậm {days}", "en": "{days} late"},
    # ----------------------------------------------------------------- freshness
    "freshness.never": {"vi": "Chưa từng cập nhật", "en": "Never updated"},
    "freshness.data_to": {"vi": "Số liệu đến {date}", "en": "Data to {date}"},
    "freshness.source_issue": {"vi": "Nguồn: {status}", "en": "Source: {status}"},
    # ----------------------------------------------------------------- overview
    "overview.as_of": {"vi": "Số liệu tính đến {date}", "en": "Figures as of {date}"},
    "overview.needs_attention": {"vi": "Cần chú ý", "en": "Needs attention"},
    "overview.themes": {"vi": "Tình hình theo chủ đề", "en": "Themes at a glance"},
    "overview.not_reported_count": {"vi": ", {n} chưa báo cáo", "en": ", {n} did not report"},
    "overview.failed_count": {"vi": ", {n} không tính được", "en": ", {n} cannot be computed"},
    "overview.status_counts": {
        "vi": "{on_track} đạt, {at_risk} có nguy cơ, {off_track} không đạt",
        "en": "{on_track} on track, {at_risk} at risk, {off_track} off track",
    },
    "overview.off_track": {"vi": "Chỉ số không đạt", "en": "Off-track metrics"},
    "overview.top_overdue_units": {
        "vi": "Đơn vị nhiều nhiệm vụ quá hạn nhất",
        "en": "Most overdue tasks by unit",
    },
    "overview.source_issues": {
        "vi": "Nguồn dữ liệu từ chối, chậm",
        "en": "Refused or late sources",
    },
    "overview.no_overdue": {"vi": "Không có nhiệm vụ quá hạn", "en": "No overdue tasks"},
    "overview.sources_ok": {
        "vi": "Mọi nguồn dữ liệu đều cập nhật đúng hạn",
        "en": "Every data source is up to date",
    },
    "overview.theme_details": {"vi": "Chi tiết theo chủ đề", "en": "Themes in detail"},
    "overview.target_short": {"vi": "mục tiêu {target}", "en": "target {target}"},
    "overview.expected_short": {"vi": "cần đạt {expected}", "en": "expected {expected}"},
    "overview.all_sources": {"vi": "Xem tất cả nguồn →", "en": "See all sources →"},
    # ----------------------------------------------------------------- units
    "units.scorecard": {"vi": "Bảng tổng hợp theo đơn vị", "en": "Unit scorecard"},
    "units.kind.department": {"vi": "Sở, ban, ngành", "en": "Departments and agencies"},
    "units.kind.ward": {"vi": "Phường", "en": "Ward"},
    "units.kind.commune": {"vi": "Xã", "en": "Commune"},
    "units.tasks": {"vi": "Nhiệm vụ được giao", "en": "Assigned tasks"},
    "units.overdue_items": {"vi": "Nhiệm vụ quá hạn", "en": "Overdue tasks"},
    "units.report_timeliness": {"vi": "Báo cáo định kỳ", "en": "Report timeliness"},
    "units.service_quality": {"vi": "Chất lượng phục vụ", "en": "Service quality"},
    "units.select": {"vi": "Chọn đơn vị để xem chi tiết", "en": "Choose a unit for details"},
    "units.kind.agency": {"vi": "Cơ quan", "en": "Agency"},
    "units.kind.city": {"vi": "Thành phố", "en": "City"},
    "units.kind.other": {"vi": "Khác", "en": "Other"},
    "units.sort": {"vi": "Sắp xếp", "en": "Sort by"},
    "units.sort_off_track": {
        "vi": "Nhiều chỉ số không đạt trước",
        "en": "Most off-track first",
    },
    "units.sort_name": {"vi": "Theo tên đơn vị", "en": "By name"},
    "units.sort_metric": {"vi": "Theo: {metric}", "en": "By: {metric}"},
    "units.scorecard_help": {
        "vi": "Mỗi ô là trạng thái của một chỉ số tại một đơn vị: di chuột để xem số liệu, "
        "bấm để mở trang của đơn vị.",
        "en": "Each cell is one metric's status for one unit: hover for the figure, "
        "click to open the unit's page.",
    },
    "units.datasets": {"vi": "Cơ sở dữ liệu của đơn vị", "en": "The unit's databases"},
    "units.other_metrics": {"vi": "Các chỉ số khác", "en": "Other metrics"},
    "units.connection": {"vi": "Kết nối", "en": "Connection"},
    "units.shared": {"vi": "Đã chia sẻ", "en": "Shared"},
    "units.no_tasks": {
        "vi": "Đơn vị không chủ trì nhiệm vụ nào",
        "en": "This unit leads no tasks",
    },
    "units.no_datasets": {
        "vi": "Đơn vị không có cơ sở dữ liệu trong danh mục",
        "en": "This unit has no databases in the register",
    },
    "units.no_metrics": {
        "vi": "Không có chỉ số nào phân tích được theo đơn vị",
        "en": "No metric can be broken down by unit",
    },
    "units.back": {"vi": "Về bảng tổng hợp", "en": "Back to the scorecard"},
    # ----------------------------------------------------------------- tasks
    "tasks.register": {"vi": "Danh mục nhiệm vụ", "en": "Task register"},
    "tasks.title": {"vi": "Nhiệm vụ thực hiện Nghị quyết 57", "en": "Resolution 57 tasks"},
    "tasks.group": {"vi": "Nhóm nhiệm vụ", "en": "Task group"},
    "tasks.level": {"vi": "Cấp chỉ đạo", "en": "Directed by"},
    "tasks.lead_unit": {"vi": "Đơn vị chủ trì", "en": "Lead unit"},
    "tasks.task": {"vi": "Nhiệm vụ", "en": "Task"},
    "tasks.deadline": {"vi": "Thời hạn", "en": "Deadline"},
    "tasks.completed_on": {"vi": "Ngày hoàn thành", "en": "Completed on"},
    "tasks.status": {"vi": "Tình trạng", "en": "Status"},
    "tasks.overdue": {"vi": "Quá hạn", "en": "Overdue"},
    "tasks.days_overdue": {"vi": "Số ngày quá hạn", "en": "Days overdue"},
    "tasks.overdue_count": {"vi": "{n} nhiệm vụ quá hạn", "en": "{n} overdue tasks"},
    "tasks.by_group_level": {
        "vi": "Số nhiệm vụ theo nhóm và cấp chỉ đạo",
        "en": "Tasks by group and directing level",
    },
    "tasks.group_summary": {
        "vi": "{n} nhiệm vụ · {overdue} quá hạn",
        "en": "{n} tasks · {overdue} overdue",
    },
    "tasks.shown": {"vi": "Đang hiển thị {n} nhiệm vụ", "en": "Showing {n} tasks"},
    "tasks.cards_scope": {
        "vi": "Các thẻ chỉ số và bảng theo nhóm × cấp chỉ đạo tính mọi nhiệm vụ khớp bộ lọc "
        "nhóm, cấp chỉ đạo và đơn vị chủ trì (không theo bộ lọc tình trạng); bộ lọc tình trạng "
        "chỉ áp dụng cho danh sách nhiệm vụ bên dưới.",
        "en": "The metric cards and the group × level table count every task matching the "
        "group, level and lead-unit filters (not the status filter); the status filter applies "
        "only to the task lists below.",
    },
    "tasks.id": {"vi": "Mã", "en": "ID"},
    "tasks.none": {
        "vi": "Không có nhiệm vụ nào khớp bộ lọc",
        "en": "No task matches the filters",
    },
    # ----------------------------------------------------------------- data
    "data.sources": {"vi": "Nguồn dữ liệu", "en": "Data sources"},
    "data.source": {"vi": "Nguồn", "en": "Source"},
    "data.dataset": {"vi": "Bộ dữ liệu", "en": "Dataset"},
    "data.owner": {"vi": "Đơn vị quản lý", "en": "Owner"},
    "data.kind": {"vi": "Loại nguồn", "en": "Kind"},
    "data.rows": {"vi": "Số bản ghi", "en": "Rows"},
    "data.last_updated": {"vi": "Cập nhật lần cuối", "en": "Last updated"},
    "data.lateness": {"vi": "Chậm so với lịch", "en": "Behind schedule"},
    "data.health": {"vi": "Tình trạng", "en": "Health"},
    "data.sharing_by_department": {
        "vi": "Chia sẻ dữ liệu của các sở, ngành",
        "en": "Data sharing by department",
    },
    "data.cadence": {"vi": "Chu kỳ", "en": "Cadence"},
    "data.problem": {"vi": "Ghi chú", "en": "Note"},
    "data.reasons": {"vi": "Lý do chưa chia sẻ", "en": "Why not shared"},
    "data.datasets_total": {"vi": "Số cơ sở dữ liệu", "en": "Databases"},
    "data.sources_freshness": {"vi": "Mức độ chậm cập nhật", "en": "Lateness by source"},
    "data.none_late": {
        "vi": "Không có nguồn nào chậm cập nhật",
        "en": "No source is late",
    },
    "data.config_problems": {
        "vi": "Lỗi trong tệp cấu hình",
        "en": "Problems in the configuration",
    },
    # ----------------------------------------------------------------- present
    "present.slide_of": {"vi": "Trang {n}/{total}", "en": "Slide {n} of {total}"},
    "present.previous": {"vi": "Trang trước", "en": "Previous"},
    "present.next": {"vi": "Trang sau", "en": "Next"},
    "present.notes": {"vi": "Ghi chú cho người trình bày", "en": "Speaker notes"},
    # ----------------------------------------------------------------- presenter, briefings, snapshots
    "present.unknown_board": {
        "vi": "Không có bộ trình chiếu '{board}'",
        "en": "There is no board '{board}'",
    },
    "present.no_boards": {
        "vi": "Chưa có bộ trình chiếu nào (thư mục config/boards)",
        "en": "There are no boards yet (folder config/boards)",
    },
    "present.now_showing": {"vi": "Đang trình chiếu", "en": "Now showing"},
    "present.up_next": {"vi": "Trang tiếp theo", "en": "Up next"},
    "present.end_of_deck": {"vi": "Hết bài trình chiếu", "en": "End of the deck"},
    "present.no_notes": {
        "vi": "Không có ghi chú cho trang này",
        "en": "No notes for this slide",
    },
    "present.tools": {"vi": "Công cụ", "en": "Tools"},
    "present.speaker_view": {"vi": "Màn hình người trình bày", "en": "Speaker view"},
    "present.speaker_view_help": {
        "vi": "Mở trong tab hoặc cửa sổ khác: ghi chú và trang tiếp theo, tự theo trang đang chiếu",
        "en": "Open in another tab or window: notes and the next slide, following the slide on screen",
    },
    "present.now_value": {"vi": "Hiện nay: {value}", "en": "Now: {value}"},
    "present.change_since": {"vi": "{delta} so với lúc chốt", "en": "{delta} since frozen"},
    "present.unchanged": {"vi": "không đổi so với lúc chốt", "en": "unchanged since frozen"},
    "snapshot.publish": {"vi": "Chốt số liệu", "en": "Freeze the figures"},
    "snapshot.publish_help": {
        "vi": "Lưu số liệu của cả bài trình chiếu để xem lại đúng như lúc trình bày",
        "en": "Store the deck's figures so they can be shown again exactly as presented",
    },
    "snapshot.label": {"vi": "Tên bản chốt", "en": "Label"},
    "snapshot.author": {"vi": "Người chốt", "en": "Published by"},
    "snapshot.created": {
        "vi": "Đã chốt số liệu: bản số {id}",
        "en": "Figures frozen: snapshot {id}",
    },
    "snapshot.exists": {
        "vi": "Bản chốt này đã có (số {id}), không lưu thêm",
        "en": "Already frozen as snapshot {id}; nothing new was stored",
    },
    "snapshot.failed": {"vi": "Không lưu được bản chốt", "en": "The snapshot could not be stored"},
    "snapshot.caption": {
        "vi": "Bản chốt số {id} «{label}», lúc {when}, người chốt: {author}",
        "en": "Snapshot {id} “{label}”, {when}, published by {author}",
    },
    "snapshot.compare": {
        "vi": "So sánh với số liệu hiện nay, tính đến {date}",
        "en": "Compared with today's figures, as of {date}",
    },
    "snapshot.compare_unavailable": {
        "vi": "Không so sánh được với số liệu hiện nay: {reason}",
        "en": "Cannot compare with today's figures: {reason}",
    },
    "snapshot.board_gone": {
        "vi": "bộ trình chiếu không còn trong cấu hình",
        "en": "the board is no longer configured",
    },
    "snapshot.list": {"vi": "Các bản đã chốt", "en": "Published snapshots"},
    "snapshot.none": {"vi": "Chưa có bản chốt nào", "en": "No snapshots yet"},
    "snapshot.live": {"vi": "Về số liệu hiện hành", "en": "Back to live figures"},
    "snapshot.invalid_id": {
        "vi": "Mã bản chốt không hợp lệ: {value}",
        "en": "Not a snapshot number: {value}",
    },
    "snapshot.anonymous": {"vi": "không rõ", "en": "unknown"},
    "brief.sources_title": {
        "vi": "Nguồn dữ liệu và độ cập nhật",
        "en": "Data sources and freshness",
    },
    "brief.sources_ok": {"vi": "{n} nguồn cập nhật đúng hạn", "en": "{n} up to date"},
    "brief.sources_line": {"vi": "Nguồn dữ liệu: {summary}", "en": "Sources: {summary}"},
    "brief.chart_unavailable": {
        "vi": "Không vẽ được biểu đồ: {reason}",
        "en": "The chart could not be drawn: {reason}",
    },
    # ----------------------------------------------------------------- downloads
    "download.csv": {"vi": "Tải về CSV", "en": "Download CSV"},
    "download.excel": {"vi": "Tải về Excel", "en": "Download Excel"},
    # ----------------------------------------------------------------- errors
    "error.metric_title": {
        "vi": "Không tính được chỉ số {metric}",
        "en": "Metric {metric} could not be computed",
    },
    "error.page": {
        "vi": "Phần này tạm thời không hiển thị được",
        "en": "This part cannot be shown for now",
    },
    "config.broken_files": {
        "vi": "{n} tệp định nghĩa đang có lỗi; các số liệu khác vẫn đúng",
        "en": "{n} definition files have errors; the other figures are not affected",
    },
    "config.more_errors": {"vi": "(và {n} lỗi khác)", "en": "(and {n} more errors)"},
    "config.kept_serving": {
        "vi": "Trong lúc chờ sửa, đang dùng bản hợp lệ gần nhất của tệp (từ {when}).",
        "en": "Until it is fixed, its last valid version (from {when}) is in use.",
    },
    "config.nothing_kept": {
        "vi": "Chưa có bản hợp lệ trước đó: các chỉ số của tệp báo lỗi cho đến khi tệp được sửa.",
        "en": "There is no earlier valid version: its metrics show errors until it is fixed.",
    },
    "brief.warning": {"vi": "cảnh báo", "en": "warning"},
    "brief.strict_failed": {
        "vi": "--strict: không ghi bản báo cáo vì có {n} cảnh báo",
        "en": "--strict: no briefing written, {n} warnings",
    },
    "directive.id": {"vi": "Số", "en": "No."},
    "directive.status": {"vi": "Tình trạng", "en": "Status"},
    "directive.status.open": {"vi": "Chưa thực hiện", "en": "Open"},
    "directive.status.in_progress": {"vi": "Đang thực hiện", "en": "In progress"},
    "directive.status.done": {"vi": "Đã hoàn thành", "en": "Done"},
    "directive.status.cancelled": {"vi": "Đã hủy", "en": "Cancelled"},
    "directive.status.overdue": {"vi": "Quá hạn", "en": "Overdue"},
    "directive.due": {"vi": "Hạn", "en": "Due"},
    "directive.due_by": {"vi": "Hạn đến ngày", "en": "Due by"},
    "directive.days_overdue": {"vi": "Số ngày quá hạn", "en": "Days overdue"},
    "directive.responsible": {"vi": "Đơn vị thực hiện", "en": "Responsible unit"},
    "directive.metric": {"vi": "Chỉ số", "en": "Metric"},
    "directive.value_now": {"vi": "Số liệu hiện nay", "en": "Figure now"},
    "directive.value_then": {"vi": "Số liệu khi chỉ đạo", "en": "Figure when given"},
    "directive.overdue_column": {"vi": "Ý kiến chỉ đạo quá hạn", "en": "Overdue directives"},
    "directive.of_unit": {"vi": "Ý kiến chỉ đạo giao đơn vị", "en": "Directives to this unit"},
    "directive.of_metric": {
        "vi": "Ý kiến chỉ đạo về chỉ số này",
        "en": "Directives about this metric",
    },
    "directive.all": {"vi": "Xem tất cả ý kiến chỉ đạo →", "en": "See all directives →"},
    "overview.directives_overdue": {
        "vi": "{n} ý kiến chỉ đạo quá hạn →",
        "en": "{n} overdue directives →",
    },
    "directive.text": {"vi": "Nội dung chỉ đạo", "en": "Directive"},
    "directive.given_by": {"vi": "Người chỉ đạo", "en": "Given by"},
    "directive.meeting": {"vi": "Phiên họp (bản chốt)", "en": "Meeting (snapshot)"},
    "directive.evidence": {"vi": "Minh chứng", "en": "Evidence"},
    "directive.count": {
        "vi": "{n} ý kiến chỉ đạo, {overdue} quá hạn",
        "en": "{n} directives, {overdue} overdue",
    },
    "directive.none": {
        "vi": "Không có ý kiến chỉ đạo nào khớp bộ lọc",
        "en": "No directive matches the filters",
    },
    "directive.update": {"vi": "Cập nhật tiến độ", "en": "Update a directive"},
    "directive.choose": {"vi": "Ý kiến chỉ đạo", "en": "Directive"},
    "directive.by": {"vi": "Người cập nhật", "en": "Updated by"},
    "directive.note": {"vi": "Ghi chú", "en": "Note"},
    "directive.save": {"vi": "Lưu cập nhật", "en": "Save the update"},
    "directive.saved": {
        "vi": "Đã lưu: chỉ đạo số {id} — {status}",
        "en": "Saved: directive {id} — {status}",
    },
    "directive.new": {"vi": "Giao chỉ đạo mới", "en": "Give a directive"},
    "directive.new_task": {
        "vi": "Giao chỉ đạo về một nhiệm vụ",
        "en": "Give a directive about a task",
    },
    "directive.none_open": {
        "vi": "Các kết luận kỳ trước đã được thực hiện xong.",
        "en": "Every earlier conclusion has been carried out.",
    },
    "directive.late_by": {"vi": "quá hạn {n} ngày", "en": "{n} days overdue"},
    "directive.record": {"vi": "Ghi kết luận", "en": "Record a conclusion"},
    "directive.text_placeholder": {
        "vi": "Ví dụ: Sở … rà soát, hoàn thành trước ngày …",
        "en": "E.g.: the department reviews … and completes it by …",
    },
    "directive.choose_metric": {"vi": "Chọn chỉ số", "en": "Choose a metric"},
    "directive.metric_on_screen": {
        "vi": "Chỉ số của trang đang chiếu",
        "en": "The metric of the slide on screen",
    },
    "directive.owner_proposed": {
        "vi": "Đơn vị chủ trì chỉ số",
        "en": "The metric's owner",
    },
    "directive.choose_unit": {"vi": "chọn đơn vị thực hiện", "en": "choose the responsible unit"},
    "directive.task": {"vi": "Nhiệm vụ", "en": "Task"},
    "directive.choose_task": {"vi": "Chọn nhiệm vụ", "en": "Choose a task"},
    "directive.give": {"vi": "Giao chỉ đạo", "en": "Record the directive"},
    "directive.keys": {
        "vi": "Ctrl+Enter trong ô nội dung để lưu ngay.",
        "en": "Ctrl+Enter in the text box records it at once.",
    },
    "directive.fill_first": {
        "vi": "Chưa lưu: cần nhập “{what}”.",
        "en": "Not recorded: “{what}” is needed.",
    },
    "directive.given": {"vi": "Đã ghi chỉ đạo số {id}", "en": "Directive {id} recorded"},
    "directive.to": {"vi": "giao {unit}", "en": "to {unit}"},
    "directive.due_on": {"vi": "hạn {date}", "en": "due {date}"},
    "directive.at_meeting": {"vi": "phiên họp số {id}", "en": "meeting snapshot {id}"},
    "directive.slide_without_metric": {
        "vi": "Trang này không có chỉ số: chọn chỉ số khi ghi kết luận.",
        "en": "This slide has no metric: choose one when recording a conclusion.",
    },
    "directive.attach_line": {
        "vi": "Kết luận ghi lúc này: về “{metric}” · giao {unit}",
        "en": "A conclusion recorded now: about “{metric}” · to {unit}",
    },
    "control.reported": {"vi": "Số liệu hiển thị", "en": "Figures shown"},
    "control.live": {"vi": "Trực tiếp (số liệu hiện nay)", "en": "Live (today's figures)"},
    "reported.option": {
        "vi": "Như báo cáo ngày {date} · {label} (số {id})",
        "en": "As reported on {date} · {label} (no. {id})",
    },
    "reported.banner": {
        "vi": "Như báo cáo ngày {date}: “{label}”, bản chốt số {id}, chỉ đọc, tính từ cấu hình "
        "{config}. Dòng “Hiện nay” dưới mỗi thẻ là số liệu tính đến {today}; biểu đồ và bảng là "
        "số liệu hiện nay.",
        "en": "As reported on {date}: “{label}”, snapshot no. {id}, read-only, computed from "
        "configuration {config}. The “Now” line under each card is the figure as of {today}; "
        "charts and tables are today's.",
    },
    "reported.not_in": {
        "vi": "Không có trong bản báo cáo: số liệu hiện nay",
        "en": "Not in the report: today's figure",
    },
    "reported.filtered": {
        "vi": "Bản báo cáo chỉ có số liệu toàn thành phố: với bộ lọc này, các thẻ là số liệu hiện nay.",
        "en": "The report holds the city's figures only: with these filters the cards are today's.",
    },
    "signin.title": {"vi": "Đăng nhập", "en": "Sign in"},
    "signin.username": {"vi": "Tên đăng nhập", "en": "Username"},
    "signin.password": {"vi": "Mật khẩu", "en": "Password"},
    "signin.submit": {"vi": "Đăng nhập", "en": "Sign in"},
    "signin.sign_out": {"vi": "Đăng xuất ({user})", "en": "Sign out ({user})"},
    "signin.expired": {
        "vi": "Phiên làm việc đã hết hạn; vui lòng đăng nhập lại.",
        "en": "Your session has expired; please sign in again.",
    },
    "signin.demo_banner": {
        "vi": "Chế độ trình diễn: không đăng nhập, mọi người dùng đều có quyền quản trị.",
        "en": "Demo mode: no sign-in, everyone is an administrator.",
    },
    "signin.every_address": {"vi": "mọi địa chỉ", "en": "every address"},
    "signin.open_refused": {
        "vi": "Không phục vụ: máy chủ đang nghe trên {address} nhưng chưa bật đăng nhập "
        "(sign_in: none). Đặt sign_in: password trong settings.yaml (hoặc {mode}=password), "
        "hoặc đặt {env}=1 nếu thật sự muốn mở bản trình diễn cho mọi người.",
        "en": "Not served: the server listens on {address} but sign-in is off (sign_in: none). "
        "Set sign_in: password in settings.yaml (or {mode}=password), or set {env}=1 if the "
        "demo is really meant to be open to everyone.",
    },
    "signin.oidc_unavailable": {
        "vi": "Đăng nhập OIDC (sign_in: oidc) chưa có trong phiên bản này; dùng sign_in: password.",
        "en": "OIDC sign-in (sign_in: oidc) is not available in this version yet; use "
        "sign_in: password.",
    },
    "signin.unknown_mode": {
        "vi": "Chế độ đăng nhập '{mode}' ({env}) không hợp lệ; dùng một trong: {allowed}",
        "en": "Unknown sign-in mode '{mode}' ({env}); use one of: {allowed}",
    },
    "access.page_denied": {
        "vi": "Bạn không có quyền mở trang này.",
        "en": "You may not open this page.",
    },
    "error.part": {
        "vi": "Không hiển thị được “{what}”; các phần khác của trang vẫn đúng.",
        "en": "“{what}” cannot be shown; the rest of the page is not affected.",
    },
    "error.location": {"vi": "Vị trí: {location}", "en": "Location: {location}"},
    # ----------------------------------------------------------------- common words
    "common.no_data": {"vi": "Chưa có số liệu", "en": "No data"},
    "common.total": {"vi": "Tổng", "en": "Total"},
    "common.unit": {"vi": "Đơn vị", "en": "Unit"},
    "common.yes": {"vi": "Có", "en": "Yes"},
    "common.no": {"vi": "Không", "en": "No"},
}


def t(key: str, lang: Lang, **params: object) -> str:
    """The text of ``key`` in ``lang`` with its ``{placeholders}`` filled from ``params``.

    Raises ``KeyError`` for an unknown key or a missing parameter, ``ValueError`` for an
    unknown language.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r} (expected 'vi' or 'en')")
    text = TEXTS[key][lang]
    return text.format(**params) if params or "{" in text else text


def has(key: str) -> bool:
    """True when ``key`` is in the table (for keys built at run time, e.g. a status)."""
    return key in TEXTS


def placeholders(text: str) -> set[str]:
    """The names of the ``{placeholders}`` in ``text``."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


__all__ = ["LANGS", "TEXTS", "has", "placeholders", "t"]
