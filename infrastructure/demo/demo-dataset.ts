import type { EntityType } from '../../domain/registration';

/**
 * A realistic demo: producers and operators in six provinces along real supply routes —
 * Hainan winter vegetables (豇豆, the product of the 2023 pesticide-residue campaigns) to Guangzhou and
 * Beijing, Shandong apples and garlic, Yunnan tea and flowers, Sichuan pigs through a slaughterhouse.
 * Coordinates are plausible field locations with 6 decimals (seed 003).
 */
export interface DemoEntity {
  key: string;
  name: string;
  entityType: EntityType;
  regionCode: string;
  address: string;
  legalRepresentative: string;
  contactPhone: string;
  /** First 17 characters of the unified social credit code (the check character is computed). */
  credit17?: string;
  products: string[];
  bases: { name: string; regionCode: string; address: string; lat: number; lon: number; areaMu?: number; products: string[] }[];
}

export const DEMO_ENTITIES: DemoEntity[] = [
  // 海南 Hainan — origin of winter vegetables
  { key: 'ledong-coop', name: '乐东黎族自治县佛罗镇豇豆种植专业合作社', entityType: 'cooperative', regionCode: '469027', address: '海南省乐东黎族自治县佛罗镇丹村', legalRepresentative: '符海生', contactPhone: '13807610001', credit17: '93469027MA5T4K1X', products: ['豇豆', '圣女果'],
    bases: [{ name: '佛罗豇豆基地', regionCode: '469027', address: '乐东县佛罗镇丹村洋', lat: 18.601234, lon: 108.780512, areaMu: 820, products: ['豇豆'] },
            { name: '佛罗圣女果基地', regionCode: '469027', address: '乐东县佛罗镇老孔村', lat: 18.612345, lon: 108.771234, areaMu: 300, products: ['圣女果'] }] },
  { key: 'sanya-farm', name: '三亚崖州南繁蔬菜家庭农场', entityType: 'familyFarm', regionCode: '460204', address: '海南省三亚市崖州区南滨农场', legalRepresentative: '王志强', contactPhone: '13907620002', credit17: '92460204MA5U2P3Q', products: ['豇豆', '辣椒'],
    bases: [{ name: '南滨豇豆田', regionCode: '460204', address: '崖州区南滨居', lat: 18.387654, lon: 109.112345, areaMu: 160, products: ['豇豆', '辣椒'] }] },
  { key: 'dongfang-household', name: '李春花', entityType: 'household', regionCode: '469007', address: '海南省东方市八所镇上名山村12号', legalRepresentative: '李春花', contactPhone: '13698760003', products: ['豇豆'],
    bases: [{ name: '李春花豇豆地', regionCode: '469007', address: '八所镇上名山村', lat: 19.101234, lon: 108.652345, areaMu: 12, products: ['豇豆'] }] },
  { key: 'haikou-wholesale', name: '海口南北水果蔬菜批发市场经营有限公司', entityType: 'enterprise', regionCode: '460108', address: '海南省海口市美兰区灵山镇', legalRepresentative: '陈国平', contactPhone: '089865370004', credit17: '91460108MA5RC8L2', products: ['豇豆', '芒果', '圣女果'],
    bases: [{ name: '南北市场冷库', regionCode: '460108', address: '美兰区灵山镇', lat: 20.001234, lon: 110.452345, products: ['豇豆', '芒果'] }] },
  { key: 'sanya-mango', name: '三亚天涯芒果产业有限公司', entityType: 'enterprise', regionCode: '460202', address: '海南省三亚市海棠区', legalRepresentative: '吴梅', contactPhone: '13976050005', credit17: '91460202MA5TM9N1', products: ['芒果'],
    bases: [{ name: '海棠湾芒果园', regionCode: '460202', address: '海棠区林旺', lat: 18.312345, lon: 109.701234, areaMu: 1500, products: ['芒果'] }] },
  // 广东 Guangdong — consumer market
  { key: 'guangzhou-jiangnan', name: '广州江南果菜批发市场经营管理有限公司', entityType: 'enterprise', regionCode: '440111', address: '广东省广州市白云区增槎路', legalRepresentative: '黄志明', contactPhone: '02086450006', credit17: '91440111MA59ABC1', products: ['豇豆', '芒果', '苹果'],
    bases: [{ name: '江南市场仓储区', regionCode: '440111', address: '白云区增槎路1号', lat: 23.181234, lon: 113.243456, products: ['豇豆', '芒果', '苹果'] }] },
  { key: 'foshan-canteen', name: '佛山顺德鲜生配送有限公司', entityType: 'enterprise', regionCode: '440606', address: '广东省佛山市顺德区大良街道', legalRepresentative: '梁少华', contactPhone: '13802450007', credit17: '91440606MA4W3D2E', products: ['豇豆', '猪肉'],
    bases: [{ name: '顺德配送中心', regionCode: '440606', address: '大良街道五沙', lat: 22.841234, lon: 113.262345, products: ['豇豆'] }] },
  // 北京 Beijing
  { key: 'xinfadi', name: '北京新发地农产品批发市场有限公司', entityType: 'enterprise', regionCode: '110106', address: '北京市丰台区新发地', legalRepresentative: '张玉玺', contactPhone: '01067270008', credit17: '91110106MA01XF1D', products: ['豇豆', '苹果', '大蒜', '猪肉'],
    bases: [{ name: '新发地交易区', regionCode: '110106', address: '丰台区新发地桥西南', lat: 39.812345, lon: 116.372345, products: ['豇豆', '苹果', '大蒜'] }] },
  { key: 'haidian-supermarket', name: '北京海淀鲜果超市有限公司', entityType: 'enterprise', regionCode: '110108', address: '北京市海淀区中关村大街', legalRepresentative: '刘晓燕', contactPhone: '01082510009', credit17: '91110108MA02HD2K', products: ['苹果', '豇豆'],
    bases: [{ name: '中关村门店', regionCode: '110108', address: '中关村大街27号', lat: 39.981234, lon: 116.312345, products: ['苹果', '豇豆'] }] },
  // 山东 Shandong — apples and garlic
  { key: 'qixia-apple', name: '栖霞市苹果产业专业合作社', entityType: 'cooperative', regionCode: '370686', address: '山东省烟台市栖霞市松山街道', legalRepresentative: '林建国', contactPhone: '13505450010', credit17: '93370686MA3C5PG4', products: ['苹果'],
    bases: [{ name: '松山苹果基地', regionCode: '370686', address: '栖霞市松山街道', lat: 37.301234, lon: 120.852345, areaMu: 2600, products: ['苹果'] },
            { name: '桃村苹果园', regionCode: '370686', address: '栖霞市桃村镇', lat: 37.182345, lon: 121.101234, areaMu: 900, products: ['苹果'] }] },
  { key: 'muping-farm', name: '烟台牟平红富士家庭农场', entityType: 'familyFarm', regionCode: '370612', address: '山东省烟台市牟平区观水镇', legalRepresentative: '于海涛', contactPhone: '13953550011', credit17: '92370612MA3N7QK2', products: ['苹果'],
    bases: [{ name: '观水果园', regionCode: '370612', address: '牟平区观水镇', lat: 37.251234, lon: 121.552345, areaMu: 80, products: ['苹果'] }] },
  { key: 'jinxiang-garlic', name: '金乡县大蒜产销有限公司', entityType: 'enterprise', regionCode: '370828', address: '山东省济宁市金乡县鸡黍镇', legalRepresentative: '孔祥瑞', contactPhone: '05378720012', credit17: '91370828MA3D8GR6', products: ['大蒜'],
    bases: [{ name: '鸡黍大蒜基地', regionCode: '370828', address: '金乡县鸡黍镇', lat: 35.071234, lon: 116.342345, areaMu: 3000, products: ['大蒜'] }] },
  { key: 'jinan-market', name: '济南堤口果品批发市场有限公司', entityType: 'enterprise', regionCode: '370105', address: '山东省济南市天桥区堤口路', legalRepresentative: '赵振华', contactPhone: '05318590013', credit17: '91370105MA3F2JK8', products: ['苹果', '大蒜'],
    bases: [{ name: '堤口市场', regionCode: '370105', address: '天桥区堤口路', lat: 36.681234, lon: 116.972345, products: ['苹果', '大蒜'] }] },
  { key: 'yantai-household', name: '孙秀英', entityType: 'household', regionCode: '370686', address: '山东省烟台市栖霞市庙后镇东村8号', legalRepresentative: '孙秀英', contactPhone: '15806450014', products: ['苹果'],
    bases: [{ name: '孙秀英果园', regionCode: '370686', address: '栖霞市庙后镇', lat: 37.401234, lon: 120.702345, areaMu: 6, products: ['苹果'] }] },
  // 云南 Yunnan — tea and flowers
  { key: 'menghai-tea', name: '勐海县茶叶种植专业合作社', entityType: 'cooperative', regionCode: '532822', address: '云南省西双版纳傣族自治州勐海县勐混镇', legalRepresentative: '岩温', contactPhone: '13988150015', credit17: '93532822MA6K4TP1', products: ['茶叶'],
    bases: [{ name: '勐混茶园', regionCode: '532822', address: '勐海县勐混镇贺开村', lat: 21.871234, lon: 100.402345, areaMu: 5000, products: ['茶叶'] }] },
  { key: 'kunming-flowers', name: '昆明斗南花卉产业有限公司', entityType: 'enterprise', regionCode: '530114', address: '云南省昆明市呈贡区斗南街道', legalRepresentative: '杨丽', contactPhone: '08717480016', credit17: '91530114MA6N8DR3', products: ['鲜切花'],
    bases: [{ name: '斗南花卉基地', regionCode: '530114', address: '呈贡区斗南街道', lat: 24.901234, lon: 102.802345, areaMu: 400, products: ['鲜切花'] }] },
  { key: 'kunming-market', name: '昆明金马正昌农产品批发市场有限公司', entityType: 'enterprise', regionCode: '530111', address: '云南省昆明市官渡区金马街道', legalRepresentative: '李正昌', contactPhone: '08713150017', credit17: '91530111MA6K9JM5', products: ['茶叶', '鲜切花', '豇豆'],
    bases: [{ name: '金马市场', regionCode: '530111', address: '官渡区金马街道', lat: 25.041234, lon: 102.772345, products: ['茶叶', '鲜切花'] }] },
  // 四川 Sichuan — pigs
  { key: 'guanghan-pig', name: '广汉市生猪养殖专业合作社', entityType: 'cooperative', regionCode: '510681', address: '四川省德阳市广汉市连山镇', legalRepresentative: '周建华', contactPhone: '13881050018', credit17: '93510681MA62P3H7', products: ['生猪'],
    bases: [{ name: '连山养殖场', regionCode: '510681', address: '广汉市连山镇', lat: 31.001234, lon: 104.202345, areaMu: 120, products: ['生猪'] }] },
  { key: 'chengdu-slaughter', name: '成都天府肉类屠宰加工有限公司', entityType: 'slaughterhouse', regionCode: '510113', address: '四川省成都市青白江区大弯街道', legalRepresentative: '罗德明', contactPhone: '02883660019', credit17: '91510113MA61K2W9', products: ['生猪', '猪肉'],
    bases: [{ name: '青白江屠宰厂', regionCode: '510113', address: '青白江区大弯街道', lat: 30.881234, lon: 104.252345, products: ['猪肉'] }] },
  { key: 'chengdu-market', name: '成都农产品中心批发市场有限责任公司', entityType: 'enterprise', regionCode: '510108', address: '四川省成都市成华区龙潭街道', legalRepresentative: '陈红', contactPhone: '02884310020', credit17: '91510108MA61C5Q2', products: ['猪肉', '豇豆'],
    bases: [{ name: '龙潭市场', regionCode: '510108', address: '成华区龙潭街道', lat: 30.701234, lon: 104.142345, products: ['猪肉'] }] },
  // A few more, so lists and maps have some density
  { key: 'wenchang-coop', name: '文昌市豇豆产销专业合作社', entityType: 'cooperative', regionCode: '469005', address: '海南省文昌市潭牛镇', legalRepresentative: '云天明', contactPhone: '13876050021', credit17: '93469005MA5T7H2K', products: ['豇豆'],
    bases: [{ name: '潭牛豇豆基地', regionCode: '469005', address: '文昌市潭牛镇', lat: 19.681234, lon: 110.672345, areaMu: 450, products: ['豇豆'] }] },
  { key: 'laiyang-pear', name: '莱阳梨家庭农场', entityType: 'familyFarm', regionCode: '370682', address: '山东省烟台市莱阳市照旺庄镇', legalRepresentative: '姜明', contactPhone: '13864550022', credit17: '92370682MA3P5RT8', products: ['梨'],
    bases: [{ name: '照旺庄梨园', regionCode: '370682', address: '莱阳市照旺庄镇', lat: 36.951234, lon: 120.722345, areaMu: 60, products: ['梨'] }] },
  { key: 'puer-tea', name: '普洱思茅茶业有限公司', entityType: 'enterprise', regionCode: '530802', address: '云南省普洱市思茅区', legalRepresentative: '刀建新', contactPhone: '08792130023', credit17: '91530802MA6P1KQ3', products: ['茶叶'],
    bases: [{ name: '思茅茶园', regionCode: '530802', address: '思茅区倚象镇', lat: 22.781234, lon: 100.972345, areaMu: 2200, products: ['茶叶'] }] },
  { key: 'rejected-applicant', name: '某某农资经营部', entityType: 'enterprise', regionCode: '469027', address: '海南省乐东黎族自治县抱由镇', legalRepresentative: '张三', contactPhone: '13800000024', credit17: '92469027MA5T0000', products: ['豇豆'],
    bases: [{ name: '抱由仓库', regionCode: '469027', address: '乐东县抱由镇', lat: 18.741234, lon: 109.172345, products: ['豇豆'] }] },
  { key: 'pending-applicant', name: '东方市新龙镇瓜菜种植专业合作社', entityType: 'cooperative', regionCode: '469007', address: '海南省东方市新龙镇', legalRepresentative: '符小梅', contactPhone: '13976000025', credit17: '93469007MA5T8K3L', products: ['豇豆', '哈密瓜'],
    bases: [{ name: '新龙瓜菜基地', regionCode: '469007', address: '东方市新龙镇', lat: 18.951234, lon: 108.682345, areaMu: 700, products: ['豇豆', '哈密瓜'] }] },
];

/**
 * Supply routes: each lot is produced at an origin and shipped hop by hop (amounts per hop).
 * `to` names a registered entity key, or an unregistered receiver (the chain ends there).
 */
export interface DemoRoute {
  origin: string;
  base: number;
  product: string;
  quantity: { amount: number; unit: 'kg' | 't' | 'jin' | 'head' | 'box' };
  daysAgo: number;
  hops: ({ to: string; amount: number; reject?: boolean } | { unregistered: { name: string; phone?: string }; amount: number })[][];
  marketEntry?: { name: string; kind: 'wholesale' | 'retail' | 'processor'; regionCode: string; amount: number };
}

export const DEMO_ROUTES: DemoRoute[] = [
  // 豇豆: 乐东 → 海口批发 → 广州江南 → 佛山配送; and 海口 → 北京新发地 → 海淀超市 (fan-out)
  { origin: 'ledong-coop', base: 0, product: '豇豆', quantity: { amount: 5000, unit: 'kg' }, daysAgo: 6,
    hops: [[{ to: 'haikou-wholesale', amount: 4000 }], [{ to: 'guangzhou-jiangnan', amount: 1800 }, { to: 'xinfadi', amount: 1500 }], [{ to: 'foshan-canteen', amount: 600 }, { to: 'haidian-supermarket', amount: 300 }]],
    marketEntry: { name: '广州江南果菜批发市场', kind: 'wholesale', regionCode: '440111', amount: 200 } },
  { origin: 'sanya-farm', base: 0, product: '豇豆', quantity: { amount: 1200, unit: 'kg' }, daysAgo: 4,
    hops: [[{ to: 'haikou-wholesale', amount: 1000 }], [{ to: 'guangzhou-jiangnan', amount: 500, reject: true }]] },
  { origin: 'dongfang-household', base: 0, product: '豇豆', quantity: { amount: 800, unit: 'jin' }, daysAgo: 3,
    hops: [[{ to: 'haikou-wholesale', amount: 600 }], [{ unregistered: { name: '海口东门农贸市场个体摊主', phone: '13800138000' }, amount: 100 }]] },
  { origin: 'wenchang-coop', base: 0, product: '豇豆', quantity: { amount: 3000, unit: 'kg' }, daysAgo: 2, hops: [[{ to: 'xinfadi', amount: 2000 }]] },
  { origin: 'sanya-mango', base: 0, product: '芒果', quantity: { amount: 20, unit: 't' }, daysAgo: 9, hops: [[{ to: 'guangzhou-jiangnan', amount: 8 }, { to: 'xinfadi', amount: 6 }]] },
  // 苹果: 栖霞 → 济南堤口 → 北京新发地 → 海淀超市 (4 hops)
  { origin: 'qixia-apple', base: 0, product: '苹果', quantity: { amount: 30, unit: 't' }, daysAgo: 20,
    hops: [[{ to: 'jinan-market', amount: 20 }], [{ to: 'xinfadi', amount: 12 }], [{ to: 'haidian-supermarket', amount: 2 }]] },
  { origin: 'muping-farm', base: 0, product: '苹果', quantity: { amount: 8000, unit: 'kg' }, daysAgo: 15, hops: [[{ to: 'guangzhou-jiangnan', amount: 5000 }]] },
  { origin: 'yantai-household', base: 0, product: '苹果', quantity: { amount: 1500, unit: 'jin' }, daysAgo: 12, hops: [[{ to: 'qixia-apple', amount: 1500 }]] },
  { origin: 'jinxiang-garlic', base: 0, product: '大蒜', quantity: { amount: 50, unit: 't' }, daysAgo: 30, hops: [[{ to: 'jinan-market', amount: 30 }, { to: 'xinfadi', amount: 15 }]] },
  // 茶叶 and 鲜切花 in Yunnan
  { origin: 'menghai-tea', base: 0, product: '茶叶', quantity: { amount: 2000, unit: 'kg' }, daysAgo: 40, hops: [[{ to: 'kunming-market', amount: 1200 }]] },
  { origin: 'puer-tea', base: 0, product: '茶叶', quantity: { amount: 1500, unit: 'kg' }, daysAgo: 35, hops: [[{ to: 'kunming-market', amount: 500 }]] },
  { origin: 'kunming-flowers', base: 0, product: '鲜切花', quantity: { amount: 3000, unit: 'box' }, daysAgo: 1, hops: [[{ to: 'kunming-market', amount: 1000 }], [{ to: 'xinfadi', amount: 400 }]] },
  // 生猪 → 屠宰 → 市场
  { origin: 'guanghan-pig', base: 0, product: '生猪', quantity: { amount: 300, unit: 'head' }, daysAgo: 8, hops: [[{ to: 'chengdu-slaughter', amount: 200 }]] },
  { origin: 'laiyang-pear', base: 0, product: '梨', quantity: { amount: 5000, unit: 'kg' }, daysAgo: 25, hops: [] },
];
