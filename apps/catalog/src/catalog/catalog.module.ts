import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { BundlesRepository } from './bundles.repository';
import { BundlesService } from './bundles.service';
import { CatalogHandlers } from './catalog.handlers';
import { PlansRepository } from './plans.repository';
import { PlansService } from './plans.service';
import { PriceBooksRepository } from './price-books.repository';
import { PriceBooksService } from './price-books.service';
import { ProductsRepository } from './products.repository';
import { ProductsService } from './products.service';

/** Service products, versioned plans, channel price books, offers and bundles. */
@Module({
  imports: [DirectoryModule],
  providers: [ProductsRepository, ProductsService, PlansRepository, PlansService, PriceBooksRepository, PriceBooksService, BundlesRepository, BundlesService, CatalogHandlers],
  exports: [PlansService, PriceBooksService],
})
export class CatalogModule {}
