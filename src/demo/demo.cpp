#include "demo/demo.h"

#include <fmt/format.h>

#include <array>
#include <random>
#include <span>
#include <stdexcept>

#include "demo/people.h"
#include "exam/catalogue.h"
#include "platform/audit/audit.h"
#include "platform/auth/auth.h"

namespace radqs::demo {
namespace {

struct RoomSpec {
  const char* modality;
  const char* name;
  bool open_24h;
};
// A mid-size department's rooms, in the order they are added to a site.
constexpr std::array<RoomSpec, 14> kRooms = {{{"CT", "CT1室", true},
                                              {"CT", "CT2室", false},
                                              {"MR", "MR1室", false},
                                              {"DR", "DR1室", true},
                                              {"DR", "DR2室", false},
                                              {"MG", "乳腺钼靶室", false},
                                              {"DSA", "DSA室", true},
                                              {"RF", "胃肠造影室", false},
                                              {"MR", "MR2室", false},
                                              {"CT", "急诊CT室", true},
                                              {"DR", "床旁摄影", true},
                                              {"US", "超声室", false},
                                              {"CR", "CR室", false},
                                              {"DX", "口腔全景室", false}}};

struct DepartmentSpec {
  const char* name;
  bool emergency;
};
constexpr std::array<DepartmentSpec, 13> kHospitalDepartments = {{{"急诊科", true},
                                                                  {"心内科", false},
                                                                  {"神经内科", false},
                                                                  {"呼吸内科", false},
                                                                  {"消化内科", false},
                                                                  {"普外科", false},
                                                                  {"骨科", false},
                                                                  {"妇科", false},
                                                                  {"泌尿外科", false},
                                                                  {"肿瘤科", false},
                                                                  {"儿科", false},
                                                                  {"ICU", false},
                                                                  {"体检中心", false}}};
constexpr std::array<DepartmentSpec, 3> kCentreDepartments = {
    {{"门诊部", false}, {"外院转诊", false}, {"体检中心", false}}};

struct Category {
  const char* key;
  int weight;
  std::array<const char*, 4> titles;
};
constexpr std::array<Category, 4> kCategories = {{
    {"physician", 40, {"resident", "attending", "associate_chief", "chief"}},
    {"technologist",
     35,
     {"technician", "senior_technician", "associate_chief_technician", "chief_technician"}},
    {"nurse", 18, {"nurse", "senior_nurse", "supervising_nurse", "associate_chief_nurse"}},
    {"engineer", 7, {"assistant_engineer", "engineer", "senior_engineer", "senior_engineer"}},
}};

struct DemoUser {
  const char* username;
  const char* role;
  const char* display_name;
};
constexpr std::array<DemoUser, 12> kUsers = {{{"admin", "admin", "系统管理员"},
                                              {"director", "director", "王主任"},
                                              {"qc", "qc_officer", "李质控"},
                                              {"doctor", "radiologist", "张医师"},
                                              {"tech", "technologist", "刘技师"},
                                              {"nurse", "nurse", "陈护士"},
                                              {"engineer", "engineer", "杨工程师"},
                                              {"safety", "safety_officer", "黄防护员"},
                                              {"clinician", "clinician", "赵医生"},
                                              {"hqc", "hospital_qc", "吴医务科"},
                                              {"inspector", "inspector", "周检查员"},
                                              {"trainee", "trainee", "徐进修"}}};

std::int64_t Insert(db::Statement s) {
  if (!s.Step()) throw std::runtime_error("insert returned no id");
  return s.Int(0);
}

}  // namespace

Size SizeNamed(const std::string& name) {
  if (name == "small") return {1, 12, 80, 2000};
  if (name == "medium") return {1, 14, 150, 160000};
  if (name == "large") return {10, 14, 300, 1000000};
  throw std::invalid_argument("unknown demo size: " + name);
}

Summary Generate(db::Database& database, const Clock& clock, const Size& size, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  const Micros now = clock.Now();
  const Date today = LocalDate(now);
  Summary sum;
  // Hashing is slow on purpose; do it once, outside the transaction.
  const std::string password_hash = auth::HashPassword(kDemoPassword);

  database.Write([&](db::Transaction& tx) {
    auto existing = tx.Prepare("SELECT COUNT(*) FROM sites");
    existing.Step();
    if (existing.Int(0) > 0) throw std::runtime_error("the database already has sites");

    std::int64_t first_site = 0;
    std::int64_t director_staff = 0;
    std::vector<std::pair<std::string, std::int64_t>> staff_by_title;
    for (int si = 0; si < size.sites; ++si) {
      const bool centre = si > 0 && si % 3 == 2;
      const std::string code = fmt::format("S{:02d}", si + 1);
      const std::string name = si == 0  ? "市第一人民医院放射科"
                               : centre ? fmt::format("第{}医学影像诊断中心", si + 1)
                                        : fmt::format("第{}人民医院放射科", si + 1);
      const std::int64_t site = Insert(
          std::move(tx.Prepare("INSERT INTO sites (code, name, level, kind, beds, address, "
                               "phone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                               "RETURNING id")
                        .Bind(code, name, si == 0 ? "tertiary" : "secondary",
                              centre ? "independent_center" : "hospital_department",
                              centre ? 0 : 600 + pick(1400), fmt::format("人民路{}号", 10 + si),
                              "0571-8800" + code, now, now)));
      // Ordering departments (申请科室): a hospital's clinical departments with its emergency
      // department flagged; an independent centre takes referrals and check-ups only.
      const std::span<const DepartmentSpec> departments =
          centre ? std::span<const DepartmentSpec>(kCentreDepartments)
                 : std::span<const DepartmentSpec>(kHospitalDepartments);
      for (std::size_t di = 0; di < departments.size(); ++di) {
        tx.Exec(
            "INSERT INTO ordering_departments (site_id, code, name, emergency, his_code, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            site, fmt::format("D{:02d}", di + 1), departments[di].name, departments[di].emergency,
            fmt::format("{}{:03d}", centre ? "ZX" : "KS", 101 + di), now, now);
      }
      if (si == 0) first_site = site;
      ++sum.sites;
      // Licences: one valid, one expiring within the alert window, one expired on the first
      // site, so the home page shows each kind of alert.
      const std::array<std::pair<const char*, int>, 3> licences = {
          {{"radiation_diagnosis", 400 + pick(600)},
           {"radiation_safety", si == 0 ? 45 : 300 + pick(700)},
           {"large_equipment", si == 0 ? -20 : 500 + pick(900)}}};
      for (const auto& [type, days] : licences) {
        tx.Exec(
            "INSERT INTO site_licences (site_id, type, number, issuer, scope, issued_on, "
            "expires_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            site, type, fmt::format("浙卫放证字〔2022〕第{:05d}号", 100 + pick(90000)),
            std::string(type) == "radiation_safety" ? "浙江省生态环境厅" : "杭州市卫生健康委员会",
            std::string(type) == "radiation_safety" ? "使用Ⅱ类、Ⅲ类射线装置" : "X射线影像诊断",
            static_cast<std::int64_t>(today.days + days - 5 * 365),
            static_cast<std::int64_t>(today.days + days), now, now);
        ++sum.licences;
      }
      for (int ri = 0; ri < size.rooms_per_site; ++ri) {
        const RoomSpec& r = kRooms[static_cast<std::size_t>(ri) % kRooms.size()];
        tx.Exec(
            "INSERT INTO rooms (site_id, code, name, modality, location, open_24h, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            site, fmt::format("R{:02d}", ri + 1), r.name, r.modality,
            fmt::format("门诊楼{}层", 1 + ri / 5), r.open_24h, now, now);
        ++sum.rooms;
      }
      for (int pi = 0; pi < size.staff_per_site; ++pi) {
        int roll = pick(100);
        std::size_t ci = 0;
        while (roll >= kCategories[ci].weight) roll -= kCategories[ci++].weight;
        const Category& cat = kCategories[ci];
        const int level = pi == 0 ? 3 : pick(10) < 4 ? 0 : pick(10) < 6 ? 1 : pick(2) + 2;
        const bool trainee = level == 0 && pick(4) == 0;
        const bool radiation = std::string(cat.key) != "engineer" || pick(2) == 0;
        const int years = 1 + level * 6 + pick(5);
        const bool female = pick(2) == 0;
        const std::string person = PersonName(female, pick);
        const std::int64_t staff = Insert(std::move(
            tx.Prepare("INSERT INTO staff (site_id, employee_no, name, sex, category, phone, "
                       "radiation_worker, radiation_work_since, dosimeter_id, thyroid_collar, "
                       "trainee, emergency_signoff, diagnostic_practice_since, created_at, "
                       "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                       "RETURNING id")
                .Bind(site, fmt::format("{}{:04d}", code, pi + 1), person, female ? "F" : "M",
                      cat.key, fmt::format("13{:09d}", static_cast<long>(rng() % 1000000000)),
                      radiation,
                      radiation ? std::optional<std::int64_t>(today.days - years * 365)
                                : std::nullopt,
                      radiation ? fmt::format("D{}{:04d}", code, pi + 1) : std::string(),
                      radiation && pick(3) == 0, trainee,
                      std::string(cat.key) == "physician" && level >= 1 && !trainee,
                      std::string(cat.key) == "physician"
                          ? std::optional<std::int64_t>(today.days - years * 365)
                          : std::nullopt,
                      now, now)));
        ++sum.staff;
        if (si == 0 && pi == 0) director_staff = staff;
        // Title history: each step up dated a few years apart.
        for (int t = 0; t <= level; ++t) {
          tx.Exec(
              "INSERT INTO staff_titles (staff_id, title, effective_from, recorded_at) VALUES "
              "(?, ?, ?, ?)",
              staff, cat.titles[static_cast<std::size_t>(t)],
              static_cast<std::int64_t>(today.days - (years - t * 5) * 365), now);
        }
        if (si == 0)
          staff_by_title.emplace_back(cat.titles[static_cast<std::size_t>(level)], staff);
        if (std::string(cat.key) == "physician") {
          tx.Exec(
              "INSERT INTO staff_certificates (staff_id, type, number, issuer, scope, "
              "registrations, issued_on, expires_on, created_at, updated_at) VALUES (?, "
              "'practising_licence', ?, '杭州市卫生健康委员会', '医学影像和放射治疗专业', ?, ?, "
              "NULL, ?, ?)",
              staff, fmt::format("1103301{:08d}", static_cast<long>(rng() % 100000000)), name,
              static_cast<std::int64_t>(today.days - years * 365), now, now);
          ++sum.certificates;
        }
        if (radiation) {
          // Most certificates are valid; a few lapse soon or have lapsed, as in real life.
          const int left = pick(20) == 0 ? -pick(60) : pick(10) == 0 ? pick(80) : 200 + pick(1200);
          tx.Exec(
              "INSERT INTO staff_certificates (staff_id, type, number, issuer, issued_on, "
              "expires_on, created_at, updated_at) VALUES (?, 'radiation_worker', ?, "
              "'杭州市卫生健康委员会', ?, ?, ?, ?)",
              staff, fmt::format("浙放{:06d}", static_cast<long>(rng() % 1000000)),
              static_cast<std::int64_t>(today.days + left - 4 * 365),
              static_cast<std::int64_t>(today.days + left), now, now);
          tx.Exec(
              "INSERT INTO staff_certificates (staff_id, type, number, issuer, issued_on, "
              "expires_on, created_at, updated_at) VALUES (?, 'radiation_training', ?, "
              "'浙江省疾病预防控制中心', ?, ?, ?, ?)",
              staff, fmt::format("FH{:06d}", static_cast<long>(rng() % 1000000)),
              static_cast<std::int64_t>(today.days - 300 - pick(300)),
              static_cast<std::int64_t>(today.days + 430 - pick(300) + pick(200)), now, now);
          sum.certificates += 2;
        }
      }
    }

    for (const auto& u : kUsers) {
      auto taken = tx.Prepare("SELECT 1 FROM users WHERE username = ?");
      taken.Bind(u.username);
      if (taken.Step()) continue;  // e.g. the administrator made by `radqs init`
      std::optional<std::int64_t> staff_id;
      if (std::string(u.role) == "director") staff_id = director_staff;
      // The clinician orders from 心内科, so their order form starts with it.
      std::optional<std::int64_t> department_id;
      if (std::string(u.role) == "clinician") {
        auto d = tx.Prepare("SELECT id FROM ordering_departments WHERE site_id = ? AND name = ?");
        d.Bind(first_site, "心内科");
        if (d.Step()) department_id = d.Int(0);
      }
      const std::int64_t id = Insert(std::move(
          tx.Prepare("INSERT INTO users (username, display_name, password_hash, staff_id, "
                     "site_id, ordering_department_id, password_changed_at, created_at, "
                     "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
              .Bind(u.username, u.display_name, password_hash, staff_id, first_site, department_id,
                    now, now, now)));
      tx.Exec("INSERT INTO user_roles (user_id, role) VALUES (?, ?)", id, u.role);
      sum.logins.push_back({u.username, u.role, u.display_name});
      ++sum.users;
    }

    for (const auto& item : exam::DefaultCatalogue()) {
      const std::int64_t id = Insert(std::move(
          tx.Prepare("INSERT INTO exam_items (code, name, modality, body_part, contrast, "
                     "contrast_kind, duration_minutes, xray, lower_abdomen, report_class, "
                     "category, confirm_images, preparation, created_at, updated_at) VALUES (?, "
                     "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")
              .Bind(item.code, item.name, item.modality, item.body_part, item.contrast,
                    item.contrast_kind, item.duration_minutes, item.xray, item.lower_abdomen,
                    item.report_class, item.category, item.confirm_images, item.preparation, now,
                    now)));
      tx.Exec(
          "INSERT INTO exam_item_versions (item_id, version, snapshot, changed_at) VALUES (?, 1, "
          "?, ?)",
          id, exam::ItemJson(item).dump(), now);
      // spec: domain.md §1 rule (a) — offered wherever the site may offer it.
      tx.Exec(
          "INSERT INTO catalogue_item_sites (item_id, site_id) SELECT ?, id FROM sites WHERE "
          "kind <> 'independent_center' OR ? = 'diagnostic'",
          id, item.category);
      ++sum.catalogue_items;
    }

    GenerateSafetyEvents(tx, now, seed, GenerateExams(tx, now, size, seed, sum), sum);

    audit::Entry e;
    e.at = now;
    e.actor = "system";
    e.action = "demo.generate";
    e.entity = "database";
    e.detail = fmt::format("seed={} sites={} rooms={} staff={} users={} exams={}", seed, sum.sites,
                           sum.rooms, sum.staff, sum.users, sum.exams);
    audit::Append(tx, e);
  });
  return sum;
}

}  // namespace radqs::demo
